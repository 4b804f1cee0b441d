/*
 * ui_theme: one table of colour roles per theme.  With colour, each role
 * is a colour pair; without (a monochrome terminal, or NO_COLOR set), each
 * role falls back to plain attributes, so every distinction the screen
 * makes is still visible on a projector that shows no colour.
 *
 * The default theme reads on dark and light terminals alike: no yellow or
 * cyan text on the terminal's own background (they vanish on white), no
 * colour that only a dark background shows.  The projector theme is for
 * a washed-out screen at the front of a class: nothing dim, text in the
 * terminal's own colour made bold where it matters, colour only as a
 * background behind dark or light text, and a blank row between panes.
 */
#include "config.h"

#include <curses.h>
#include <string.h>

#include "ui/ui_int.h"

struct style {
	short fg, bg;
	int colour_attr;
	int mono_attr;
};

static const struct style theme_default[R_NROLES] = {
	[R_NORMAL] = { -1, -1, 0, 0 },
	[R_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[R_HEADER] = { COLOR_BLUE, -1, A_BOLD, A_UNDERLINE },
	[R_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[R_CALL] = { -1, -1, A_BOLD, A_BOLD },
	[R_WHY] = { COLOR_MAGENTA, -1, 0, 0 },
	[R_INFO] = { -1, -1, 0, 0 },
	[R_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[R_OWN] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[R_TIMEWAIT] = { COLOR_MAGENTA, -1, A_BOLD, A_UNDERLINE },
	[R_FOREIGN] = { -1, -1, A_DIM, A_DIM },
	[R_KEY] = { COLOR_BLACK, COLOR_WHITE, A_BOLD, A_REVERSE | A_BOLD },
	[R_KEYBAR] = { -1, -1, 0, 0 },
	[R_DIM] = { -1, -1, A_DIM, A_DIM },
	[R_WIRE] = { COLOR_BLUE, -1, A_BOLD, 0 },
};

static const struct style theme_projector[R_NROLES] = {
	[R_NORMAL] = { -1, -1, 0, 0 },
	[R_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[R_HEADER] = { -1, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE },
	[R_SELECTED] = { COLOR_WHITE, COLOR_BLACK, A_BOLD, A_REVERSE | A_BOLD },
	[R_CALL] = { -1, -1, A_BOLD, A_BOLD },
	[R_WHY] = { -1, -1, A_BOLD, A_BOLD },
	[R_INFO] = { -1, -1, 0, 0 },
	[R_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[R_OWN] = { -1, -1, A_BOLD, A_BOLD },
	[R_TIMEWAIT] = { -1, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE },
	[R_FOREIGN] = { -1, -1, 0, 0 },
	[R_KEY] = { COLOR_WHITE, COLOR_BLACK, A_BOLD, A_REVERSE | A_BOLD },
	[R_KEYBAR] = { -1, -1, A_BOLD, A_BOLD },
	[R_DIM] = { -1, -1, 0, 0 },
	[R_WIRE] = { -1, -1, A_BOLD, A_BOLD },
};

static int attrs[R_NROLES];
static bool projector;

void theme_init(bool use_colour, bool proj)
{
	const struct style *t = proj ? theme_projector : theme_default;

	projector = proj;
	if (use_colour && has_colors()) {
		start_color();
		use_default_colors();
		for (int r = 0; r < R_NROLES; r++) {
			init_pair((short)(r + 1), t[r].fg, t[r].bg);
			attrs[r] = (int)COLOR_PAIR(r + 1) | t[r].colour_attr;
		}
		return;
	}
	for (int r = 0; r < R_NROLES; r++)
		attrs[r] = t[r].mono_attr;
}

bool theme_projector_on(void)
{
	return projector;
}

int theme_attr(enum role r)
{
	return attrs[r];
}
