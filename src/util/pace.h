/*
 * pace: how soon after a full read of the kernel table the next may come.
 * The panel may take at most a tenth of a core: the wait is PACE_TIMES
 * (twelve) times what a refresh (the look at the counts, read, join, the
 * draw that filters and sorts, and the draws until the next read) costs,
 * never less than the interval asked for.  Refreshes then take a twelfth
 * of a core at most, and the looks at the counts and the countdowns'
 * ticks between them have the rest of the tenth (at ten times, refreshes
 * alone took a tenth, and the screen measured 6.9-9.8% of a core at
 * 175,000 entries).  The cost is
 * the median of the last three, so one slow refresh (a table being built,
 * a busy machine) does not freeze the screen, the wait comes back as soon
 * as refreshes are cheap again, and costs that vary from one refresh to
 * the next still average under a twelfth (the least of three would not).
 * Pure arithmetic: tested alone.
 */
#ifndef SOCKPLAY_PACE_H
#define SOCKPLAY_PACE_H

#include <stdbool.h>

#define PACE_KEEP 3
#define PACE_TIMES 12	/* the wait after a refresh, in refresh costs */
#define PACE_FULL_READ 1.0	/* a full read at least this often (seconds), pace allowing */

struct pace {
	double base;		/* the interval asked for, seconds */
	double cost[PACE_KEEP];	/* the last refreshes' costs; 0 unknown */
	int next;
	double wait;		/* the least time from one full read to the next */
};

void pace_init(struct pace *p, double base);
/* A refresh cost `seconds`, all told: the interval to wait before the next one. */
double pace_after(struct pace *p, double seconds);
/*
 * Read the table in full now?  `since` seconds after the last read, the
 * kernel's counts `changed` or not: when the pace allows, and either the
 * counts changed or PACE_FULL_READ has passed.
 */
bool pace_due(const struct pace *p, double since, bool changed);

#endif
