/*
 * ui_theme: one table of colour roles.  With colour, each role is a
 * colour pair; without (a monochrome terminal, or NO_COLOR set), each
 * role falls back to plain attributes, so every distinction the screen
 * makes is still visible on a projector that shows no colour.
 */
#include "config.h"

#include <curses.h>

#include "ui/ui_int.h"

static const struct {
	short fg, bg;
	int colour_attr;
	int mono_attr;
} theme[R_NROLES] = {
	[R_NORMAL] = { -1, -1, 0, 0 },
	[R_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[R_HEADER] = { COLOR_CYAN, -1, A_BOLD, A_UNDERLINE },
	[R_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[R_CALL] = { -1, -1, A_BOLD, A_BOLD },
	[R_WHY] = { COLOR_YELLOW, -1, 0, 0 },
	[R_INFO] = { -1, -1, 0, 0 },
	[R_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[R_OWN] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[R_TIMEWAIT] = { COLOR_MAGENTA, -1, 0, A_UNDERLINE },
	[R_FOREIGN] = { -1, -1, A_DIM, A_DIM },
	[R_KEY] = { COLOR_BLACK, COLOR_WHITE, A_BOLD, A_REVERSE | A_BOLD },
	[R_KEYBAR] = { -1, -1, 0, 0 },
	[R_DIM] = { -1, -1, A_DIM, A_DIM },
	[R_WIRE] = { COLOR_CYAN, -1, 0, 0 },
};

static int attrs[R_NROLES];

void theme_init(bool use_colour)
{
	if (use_colour && has_colors()) {
		start_color();
		use_default_colors();
		for (int r = 0; r < R_NROLES; r++) {
			init_pair((short)(r + 1), theme[r].fg, theme[r].bg);
			attrs[r] = (int)COLOR_PAIR(r + 1) | theme[r].colour_attr;
		}
		return;
	}
	for (int r = 0; r < R_NROLES; r++)
		attrs[r] = theme[r].mono_attr;
}

int theme_attr(enum role r)
{
	return attrs[r];
}
