/*
 * pace: how often the screen re-reads the kernel table.  The panel may
 * take at most a tenth of a core: the interval is ten times what a refresh
 * (read, join and draw) costs, never less than the one asked for.  The
 * cost is the least of the last three, so one slow refresh (a table being
 * built, a busy machine) does not freeze the screen, and the interval comes
 * back as soon as refreshes are cheap again.  Pure arithmetic: tested alone.
 */
#ifndef SOCKPLAY_PACE_H
#define SOCKPLAY_PACE_H

#define PACE_KEEP 3

struct pace {
	double base;		/* the interval asked for, seconds */
	double cost[PACE_KEEP];	/* the last refreshes' costs; 0 unknown */
	int next;
};

void pace_init(struct pace *p, double base);
/* A refresh cost `seconds`, all told: the interval to wait before the next one. */
double pace_after(struct pace *p, double seconds);

#endif
