/*
 * pace: the refresh interval from the last refreshes' costs (see pace.h).
 */
#include "config.h"

#include <string.h>

#include "pace.h"

void pace_init(struct pace *p, double base)
{
	memset(p, 0, sizeof *p);
	p->base = base;
}

double pace_after(struct pace *p, double seconds)
{
	double least = seconds;

	p->cost[p->next] = seconds;
	p->next = (p->next + 1) % PACE_KEEP;
	for (int i = 0; i < PACE_KEEP; i++)
		if (p->cost[i] > 0 && p->cost[i] < least)
			least = p->cost[i];
	return least * 10 > p->base ? least * 10 : p->base;
}
