// SPDX-License-Identifier: MIT
#include "discover/disc_draft.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

void disc_message_name(const struct disc_message *m, char *buf, size_t cap)
{
	uint32_t key = m->id->key;
	if (key & DISC_KEY_EXT)
		snprintf(buf, cap, "DISC_%08" PRIX32, key & 0x1FFFFFFFu);
	else
		snprintf(buf, cap, "DISC_%03" PRIX32, key);
}

void disc_field_name(const struct disc_field *f, char *buf, size_t cap)
{
	snprintf(buf, cap, "F%u_%u", disc_span_start_bit(&f->span), f->span.w);
}

static uint32_t dbc_id(const struct disc_message *m)
{
	return m->id->key; /* DISC_KEY_EXT is the DBC's extended-id bit */
}

/* Text for a DBC string: no quotes or backslashes, printable ASCII. */
static void clean(char *dst, size_t cap, const char *src)
{
	size_t n = 0;
	for (; *src && n + 1 < cap; src++)
		dst[n++] = (*src == '"' || *src == '\\' || (unsigned char)*src < 0x20 || (unsigned char)*src > 0x7E)
				   ? '_' : *src;
	dst[n] = 0;
}

static void signal_line(FILE *out, const char *name, const struct disc_span *s, bool is_signed, double min, double max)
{
	fprintf(out, " SG_ %s : %u|%u@%c%c (1,0) [%.17g|%.17g] \"\" Vector__XXX\n", name, disc_span_start_bit(s),
		s->w, s->order == DISC_INTEL ? '1' : '0', is_signed ? '-' : '+', min, max);
}

static void field_range(const struct disc_field *f, double *min, double *max)
{
	if (!f->is_signed) {
		*min = (double)f->min_raw;
		*max = (double)f->max_raw;
		return;
	}
	/* Signed: the range of the two's-complement reading, whole. */
	*min = -ldexp(1.0, f->span.w - 1);
	*max = ldexp(1.0, f->span.w - 1) - 1;
}

static void constants_text(const struct disc_message *m, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < m->dlc && n + 40 < cap; i++) {
		uint8_t mask = m->const_mask[i];
		if (!mask)
			continue;
		if (mask == 0xFF)
			n += (size_t)snprintf(buf + n, cap - n, "%sbyte %u = 0x%02X", n ? ", " : "", i, m->const_value[i]);
		else
			n += (size_t)snprintf(buf + n, cap - n, "%sbyte %u bits 0x%02X = 0x%02X", n ? ", " : "", i, mask,
					      m->const_value[i]);
	}
}

int disc_draft_write(FILE *out, const struct disc_message *msgs, size_t n, const char *source)
{
	char src[256], name[48], fname[32], text[4096];
	clean(src, sizeof src, source ? source : "a recording");
	bool fd = false;
	for (size_t i = 0; i < n; i++)
		fd |= msgs[i].dlc > 8;
	fprintf(out, "VERSION \"\"\n\nNS_ :\n\tBA_DEF_\n\tBA_\n\tBA_DEF_DEF_\n\tCM_\n\nBS_:\n\nBU_:\n\n");
	for (size_t i = 0; i < n; i++) {
		const struct disc_message *m = &msgs[i];
		disc_message_name(m, name, sizeof name);
		fprintf(out, "BO_ %" PRIu32 " %s: %u Vector__XXX\n", dbc_id(m), name, m->dlc);
		if (m->checksum.kind) {
			/* Always @1 with start bit byte*8 (the same bits as @0): the
			 * form bus_integrity.c accepts for a checksum byte. */
			struct disc_span s = {DISC_INTEL, (uint16_t)(m->checksum.byte * 8u), 8, m->dlc};
			signal_line(out, "CHECKSUM", &s, false, 0, 255);
		}
		if (m->counter.found)
			signal_line(out, "COUNTER", &m->counter.span, false, 0, m->counter.modulo - 1.0);
		for (uint32_t k = 0; k < m->layout.n_fields; k++) {
			const struct disc_field *f = &m->layout.fields[k];
			double lo, hi;
			field_range(f, &lo, &hi);
			disc_field_name(f, fname, sizeof fname);
			signal_line(out, fname, &f->span, f->is_signed, lo, hi);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < n; i++) {
		const struct disc_message *m = &msgs[i];
		char consts[1536];
		constants_text(m, consts, sizeof consts);
		snprintf(text, sizeof text,
			 "Draft from evgw discover (%s): %" PRIu64 " frames, every %.1f ms, %u bytes%s. %s%s%s", src,
			 m->id->frames, m->period_ms, m->dlc, m->length_varies ? " (shorter frames seen too)" : "",
			 consts[0] ? "Constant: " : "No constant bits.", consts, consts[0] ? "." : "");
		fprintf(out, "CM_ BO_ %" PRIu32 " \"%s\";\n", dbc_id(m), text);
		if (m->checksum.kind)
			fprintf(out, "CM_ SG_ %" PRIu32 " CHECKSUM \"%s, held in all %" PRIu32 " frames checked.\";\n",
				dbc_id(m), m->checksum.what, m->checksum.frames);
		if (m->counter.found && m->counter.wrapped)
			fprintf(out, "CM_ SG_ %" PRIu32 " COUNTER \"+%" PRIu32 " per frame%s in %.1f %% of the frames checked, wraps after %" PRIu32 ".\";\n",
				dbc_id(m), m->counter.step,
				m->counter.step == m->counter.modulo - 1 ? " (counting down)" : "",
				m->counter.share * 100.0, m->counter.modulo - 1);
		else if (m->counter.found)
			fprintf(out, "CM_ SG_ %" PRIu32 " COUNTER \"+1 per frame in %.1f %% of the frames checked; it never "
				"wrapped in the log, so its width (%u bits) is assumed.\";\n",
				dbc_id(m), m->counter.share * 100.0, (unsigned)m->counter.span.w);
	}
	fprintf(out, "BA_DEF_ BO_ \"GenMsgCycleTime\" INT 0 3600000;\n");
	fprintf(out, "BA_DEF_ BO_ \"EvgwConfidence\" ENUM \"confirmed\",\"public\",\"assumed\";\n");
	fprintf(out, "BA_DEF_ BO_ \"EvgwSource\" STRING ;\n");
	fprintf(out, "BA_DEF_ SG_ \"EvgwSignalConfidence\" ENUM \"confirmed\",\"public\",\"assumed\";\n");
	fprintf(out, "BA_DEF_ SG_ \"EvgwChecksum\" STRING ;\n");
	fprintf(out, "BA_DEF_ SG_ \"EvgwCounter\" STRING ;\n");
	if (fd)
		fprintf(out, "BA_DEF_ BO_ \"VFrameFormat\" ENUM \"StandardCAN\",\"ExtendedCAN\",\"reserved\",\"J1939PG\","
			     "\"reserved\",\"reserved\",\"reserved\",\"reserved\",\"reserved\",\"reserved\",\"reserved\","
			     "\"reserved\",\"reserved\",\"reserved\",\"StandardCAN_FD\",\"ExtendedCAN_FD\";\n");
	fprintf(out, "BA_DEF_DEF_ \"GenMsgCycleTime\" 0;\n");
	fprintf(out, "BA_DEF_DEF_ \"EvgwConfidence\" \"assumed\";\n");
	fprintf(out, "BA_DEF_DEF_ \"EvgwSource\" \"\";\n");
	fprintf(out, "BA_DEF_DEF_ \"EvgwSignalConfidence\" \"assumed\";\n");
	fprintf(out, "BA_DEF_DEF_ \"EvgwChecksum\" \"\";\n");
	fprintf(out, "BA_DEF_DEF_ \"EvgwCounter\" \"\";\n");
	if (fd)
		fprintf(out, "BA_DEF_DEF_ \"VFrameFormat\" \"StandardCAN\";\n");
	for (size_t i = 0; i < n; i++) {
		const struct disc_message *m = &msgs[i];
		uint32_t id = dbc_id(m);
		if (m->period_ms > 0)
			fprintf(out, "BA_ \"GenMsgCycleTime\" BO_ %" PRIu32 " %.0f;\n", id, round(m->period_ms));
		fprintf(out, "BA_ \"EvgwConfidence\" BO_ %" PRIu32 " 2;\n", id);
		fprintf(out, "BA_ \"EvgwSource\" BO_ %" PRIu32 " \"evgw discover: %s\";\n", id, src);
		if (m->dlc > 8)
			fprintf(out, "BA_ \"VFrameFormat\" BO_ %" PRIu32 " %d;\n", id, (m->id->key & DISC_KEY_EXT) ? 15 : 14);
		if (m->checksum.kind) {
			fprintf(out, "BA_ \"EvgwSignalConfidence\" SG_ %" PRIu32 " CHECKSUM 2;\n", id);
			fprintf(out, "BA_ \"EvgwChecksum\" SG_ %" PRIu32 " CHECKSUM \"%s\";\n", id, m->checksum.algo);
		}
		if (m->counter.found) {
			fprintf(out, "BA_ \"EvgwSignalConfidence\" SG_ %" PRIu32 " COUNTER 2;\n", id);
			char step[24] = "";
			if (m->counter.step != 1)
				snprintf(step, sizeof step, ",step=%" PRIu32, m->counter.step);
			if (m->counter.modulo == (1u << m->counter.span.w))
				fprintf(out, "BA_ \"EvgwCounter\" SG_ %" PRIu32 " COUNTER \"inc%s\";\n", id, step);
			else
				fprintf(out, "BA_ \"EvgwCounter\" SG_ %" PRIu32 " COUNTER \"inc:%" PRIu32 "%s\";\n", id,
					m->counter.modulo, step);
		}
		for (uint32_t k = 0; k < m->layout.n_fields; k++) {
			disc_field_name(&m->layout.fields[k], fname, sizeof fname);
			fprintf(out, "BA_ \"EvgwSignalConfidence\" SG_ %" PRIu32 " %s 2;\n", id, fname);
		}
	}
	fflush(out);
	return ferror(out) ? -EIO : 0;
}
