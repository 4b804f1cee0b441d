/*
 * verb: the helpers every verb's handler uses (see verb.h): its socket
 * argument, its report line, text quoted for the transcript.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lang/verb.h"
#include "util/i18n.h"

int cmd_arg_sock(struct session *s, const struct cmd_line *cl, int i,
		 struct sock **out, char *err, size_t errlen)
{
	const char *name = cl->argv[i];

	*out = NULL;
	if (!sock_name_valid(name)) {
		snprintf(err, errlen, _("bad socket name '%s': a letter, then letters, digits, _ or -"), name);
		return -1;
	}
	if (s == NULL)
		return 0;
	*out = socktab_find(&s->socks, name);
	if (*out == NULL) {
		struct sock *old = socktab_find_any(&s->socks, name);

		if (old)
			snprintf(err, errlen, _("%s: socket %s is closed"), cl->argv[0], name);
		else
			snprintf(err, errlen, _("%s: no socket named '%s'"), cl->argv[0], name);
		return -1;
	}
	return 0;
}

void cmd_report(struct session *s, struct outcome *o, const char *call, long ret, int err)
{
	o->ret = ret;
	o->err = err;
	if (err)
		sink_printf(&s->sink, SINK_CALL_FAILED, "%s = -1 %s (%s)", call, errname(err), strerror(err));
	else
		sink_printf(&s->sink, SINK_CALL, "%s = %ld", call, ret);
}

void cmd_quote(const void *data, size_t len, char *buf, size_t buflen)
{
	const unsigned char *d = data;
	size_t o = 0;

	buf[o++] = '"';
	for (size_t i = 0; i < len && o + 6 < buflen; i++) {
		unsigned char c = d[i];

		if (c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, buflen - o, "\\%c", c);
		else if (c == '\n')
			o += (size_t)snprintf(buf + o, buflen - o, "\\n");
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, buflen - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
		if (i + 1 < len && o + 6 >= buflen) {
			o += (size_t)snprintf(buf + o, buflen - o, "...");
			break;
		}
	}
	snprintf(buf + o, buflen - o, "\"");
}

void cmd_join(const struct cmd_line *cl, int from, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int i = from; i < cl->argc && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i > from ? " " : "", cl->argv[i]);
}
