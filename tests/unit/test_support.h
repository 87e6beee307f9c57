/* Small helpers shared by the cmocka tests. */
#ifndef EVGW_TEST_SUPPORT_H
#define EVGW_TEST_SUPPORT_H

#include <stddef.h>

/* Write `len` bytes to a fresh temporary file and return its path (static
 * storage, valid until the next call). Fails the test on error. */
const char *test_write_temp(const char *text, size_t len);

#endif
