/*
 * check_addr: endpoint parsing and printing.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/addr.h"
#include "lang/explain.h"
#include "testlib.h"

static struct endpoint ep(const char *text, int family)
{
	struct endpoint e;
	char err[128];

	ck_assert_msg(addr_parse(text, family, &e, err, sizeof err) == 0, "%s: %s", text, err);
	return e;
}

START_TEST(parse_and_format)
{
	char buf[ADDR_STRLEN];
	struct endpoint e;

	e = ep("127.0.0.1:8888", AF_INET);
	ck_assert_str_eq(addr_format(&e, buf, sizeof buf), "127.0.0.1:8888");
	e = ep("[::1]:80", AF_INET6);
	ck_assert_str_eq(addr_format(&e, buf, sizeof buf), "[::1]:80");
	e = ep("*:0", AF_INET6);
	ck_assert_str_eq(addr_format(&e, buf, sizeof buf), "[::]:0");
	ck_assert(addr_is_wildcard(&e));
	e = ep("*:9", AF_INET);
	ck_assert_str_eq(addr_format(&e, buf, sizeof buf), "0.0.0.0:9");
	/* IPv4 given to an IPv6 socket becomes v4-mapped */
	e = ep("127.0.0.1:5", AF_INET6);
	ck_assert_str_eq(addr_format(&e, buf, sizeof buf), "[::ffff:127.0.0.1]:5");
	ck_assert(addr_is_v4mapped(&e));
	ck_assert(addr_is_loopback(&e));
}
END_TEST

START_TEST(overlap_rules)
{
	struct endpoint any4 = ep("0.0.0.0:80", AF_INET), lo4 = ep("127.0.0.1:80", AF_INET);
	struct endpoint lo4b = ep("127.0.0.2:80", AF_INET), any6 = ep("[::]:80", AF_INET6);
	struct endpoint other = ep("127.0.0.1:81", AF_INET), lo6 = ep("[::1]:80", AF_INET6);

	ck_assert(explain_overlap(&any4, false, &lo4, false));
	ck_assert(explain_overlap(&lo4, false, &any4, false));
	ck_assert(!explain_overlap(&lo4, false, &lo4b, false));
	ck_assert(!explain_overlap(&lo4, false, &other, false));
	ck_assert(explain_overlap(&any6, false, &lo4, false));
	ck_assert(!explain_overlap(&any6, true, &lo4, false));
	ck_assert(!explain_overlap(&lo6, false, &lo4, false));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("addr");

	tcase_add_test(tc, parse_and_format);
	tcase_add_test(tc, overlap_rules);
	suite_add_tcase(s, tc);
	return trun_suite(s) ? EXIT_FAILURE : EXIT_SUCCESS;
}
