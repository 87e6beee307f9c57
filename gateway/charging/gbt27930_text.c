// SPDX-License-Identifier: MIT
#include "charging/gbt27930_text.h"

#include <string.h>

#include "util/text_template.h"

/* Every 2-bit field of the four stop and error messages (gbt27930_text.h
 * names the sources). The English is marked for the shared catalog: the
 * charging reply's stop reasons are translated by the clients
 * (util/text_template.h); the Russian here is for fault descriptions. */
static const struct gbt_reason reasons[] = {
	{GBT_BST, 0, false, N_("SOC target reached"), "достигнут заданный SOC"},
	{GBT_BST, 2, false, N_("total voltage set point reached"), "достигнуто заданное общее напряжение"},
	{GBT_BST, 4, false, N_("cell voltage set point reached"), "достигнуто заданное напряжение ячейки"},
	{GBT_BST, 6, false, N_("the charger stopped"), "зарядная станция остановила заряд"},
	{GBT_BST, 8, true, N_("insulation fault"), "неисправность изоляции"},
	{GBT_BST, 10, true, N_("output connector over-temperature"), "перегрев выходного разъёма"},
	{GBT_BST, 12, true, N_("BMS component or output connector over-temperature"), "перегрев компонентов BMS или выходного разъёма"},
	{GBT_BST, 14, true, N_("charging connector fault"), "неисправность зарядного разъёма"},
	{GBT_BST, 16, true, N_("battery pack over-temperature"), "перегрев батареи"},
	{GBT_BST, 18, true, N_("high-voltage relay fault"), "неисправность высоковольтного реле"},
	{GBT_BST, 20, true, N_("detection point 2 voltage fault"), "неисправность напряжения в точке контроля 2"},
	{GBT_BST, 22, true, N_("other fault"), "другая неисправность"},
	{GBT_BST, 24, true, N_("over-current"), "превышение тока"},
	{GBT_BST, 26, true, N_("abnormal voltage"), "аномальное напряжение"},
	{GBT_CST, 0, false, N_("conditions set at the charger reached"), "достигнуты условия, заданные на зарядной станции"},
	{GBT_CST, 2, false, N_("stopped by hand"), "остановлено вручную"},
	{GBT_CST, 4, true, N_("stopped on a fault"), "остановлено из-за неисправности"},
	{GBT_CST, 6, false, N_("the BMS stopped"), "BMS остановила заряд"},
	{GBT_CST, 8, true, N_("charger over-temperature"), "перегрев зарядной станции"},
	{GBT_CST, 10, true, N_("charging connector fault"), "неисправность зарядного разъёма"},
	{GBT_CST, 12, true, N_("charger internal over-temperature"), "внутренний перегрев зарядной станции"},
	{GBT_CST, 14, true, N_("energy cannot be delivered"), "невозможно передать энергию"},
	{GBT_CST, 16, true, N_("emergency stop"), "аварийная остановка"},
	{GBT_CST, 18, true, N_("other fault"), "другая неисправность"},
	{GBT_CST, 24, true, N_("current mismatch"), "несоответствие тока"},
	{GBT_CST, 26, true, N_("abnormal voltage"), "аномальное напряжение"},
	{GBT_BEM, 0, true, N_("timeout waiting for CRM 00 (charger recognition)"), "тайм-аут ожидания CRM 00 (опознавание зарядной станцией)"},
	{GBT_BEM, 2, true, N_("timeout waiting for CRM AA (charger recognised the BMS)"), "тайм-аут ожидания CRM AA (станция опознала BMS)"},
	{GBT_BEM, 8, true, N_("timeout waiting for CTS/CML (charger time and maximum output)"), "тайм-аут ожидания CTS/CML (время и максимальная мощность станции)"},
	{GBT_BEM, 10, true, N_("timeout waiting for CRO (charger ready)"), "тайм-аут ожидания CRO (готовность станции)"},
	{GBT_BEM, 16, true, N_("timeout waiting for CCS (charger charging state)"), "тайм-аут ожидания CCS (состояние заряда станции)"},
	{GBT_BEM, 18, true, N_("timeout waiting for CST (charger stop)"), "тайм-аут ожидания CST (остановка станцией)"},
	{GBT_BEM, 24, true, N_("timeout waiting for CSD (charger statistics)"), "тайм-аут ожидания CSD (статистика станции)"},
	{GBT_CEM, 0, true, N_("timeout waiting for BRM (BMS recognition)"), "тайм-аут ожидания BRM (опознавание BMS)"},
	{GBT_CEM, 8, true, N_("timeout waiting for BCP (battery charging parameters)"), "тайм-аут ожидания BCP (параметры заряда батареи)"},
	{GBT_CEM, 10, true, N_("timeout waiting for BRO (BMS ready)"), "тайм-аут ожидания BRO (готовность BMS)"},
	{GBT_CEM, 16, true, N_("timeout waiting for BCS (battery charging state)"), "тайм-аут ожидания BCS (состояние заряда батареи)"},
	{GBT_CEM, 18, true, N_("timeout waiting for BCL (battery charging demand)"), "тайм-аут ожидания BCL (запрос заряда батареи)"},
	{GBT_CEM, 20, true, N_("timeout waiting for BST (BMS stop)"), "тайм-аут ожидания BST (остановка BMS)"},
	{GBT_CEM, 24, true, N_("timeout waiting for BSD (BMS statistics)"), "тайм-аут ожидания BSD (статистика BMS)"},
};

const char *gbt_reason_side(enum gbt_msg m)
{
	switch (m) {
	case GBT_BST:
	case GBT_BEM:
		return "BMS";
	case GBT_CST:
	case GBT_CEM:
		return "charger";
	default:
		return "";
	}
}

static bool set(const struct gbt_reason *r, uint32_t bits)
{
	return ((bits >> r->shift) & 3u) == 1u;
}

unsigned gbt_reasons(enum gbt_msg m, uint32_t bits, const struct gbt_reason **out, unsigned max)
{
	unsigned n = 0;
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		if (reasons[i].msg != m || !set(&reasons[i], bits))
			continue;
		if (n < max)
			out[n] = &reasons[i];
		n++;
	}
	return n;
}

uint32_t gbt_fault_bits(enum gbt_msg m, uint32_t bits)
{
	uint32_t kept = 0;
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (reasons[i].msg == m && reasons[i].fault && set(&reasons[i], bits))
			kept |= 1u << reasons[i].shift;
	return kept;
}

/* Append text to out (n bytes so far, room cap), whole UTF-8 characters
 * only: a cut never splits one. */
static void append(char *out, size_t cap, size_t *n, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
		if (*n + len >= cap)
			break;
		for (size_t k = 0; k < len && p[k]; k++)
			out[(*n)++] = (char)p[k];
		p += len;
	}
	out[*n] = '\0';
}

static bool russian(const char *lang)
{
	return lang && !strcmp(lang, "ru");
}

size_t gbt_reasons_text_lang(enum gbt_msg m, uint32_t bits, bool faults_only, const char *lang, char *out,
			     size_t cap)
{
	size_t n = 0;
	if (!cap)
		return 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		const struct gbt_reason *r = &reasons[i];
		if (r->msg != m || !set(r, bits) || (faults_only && !r->fault))
			continue;
		if (n)
			append(out, cap, &n, ", ");
		append(out, cap, &n, russian(lang) ? r->words_ru : r->words);
	}
	return n;
}

size_t gbt_reasons_text(enum gbt_msg m, uint32_t bits, bool faults_only, char *out, size_t cap)
{
	return gbt_reasons_text_lang(m, bits, faults_only, "en", out, cap);
}

size_t gbt_fault_text(enum gbt_msg m, uint32_t bits, const char *lang, char *out, size_t cap)
{
	static const char *const lead[][2] = {
		{"BMS stopped the charge: ", "BMS остановила заряд: "},
		{"Charger stopped the charge: ", "Зарядная станция остановила заряд: "},
		{"BMS charging error: ", "Ошибка заряда BMS: "},
		{"Charger charging error: ", "Ошибка заряда зарядной станции: "},
	};
	size_t n = 0;
	if (!cap)
		return 0;
	out[0] = '\0';
	unsigned k = m == GBT_BST ? 0 : m == GBT_CST ? 1 : m == GBT_BEM ? 2 : m == GBT_CEM ? 3 : 4;
	if (k == 4)
		return 0;
	append(out, cap, &n, lead[k][russian(lang)]);
	return n + gbt_reasons_text_lang(m, bits, true, lang, out + n, cap - n);
}
