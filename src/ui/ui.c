/* placeholder replaced by the screen */
#include "config.h"
#include <stdio.h>
#include "ui/ui.h"
int ui_run(struct session *s, const struct ui_options *o)
{
	(void)s; (void)o;
	fprintf(stderr, "sockplay: the screen is not built yet; use --batch -\n");
	return 2;
}
