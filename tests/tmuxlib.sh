# tmuxlib.sh: what the screen tests share.  Source it after testlib.sh: it
# skips when tmux or the sandbox is missing, runs a private tmux server
# (killed on exit), and gives T (tmux on that server), S (the session the
# helpers look at), screen, on_screen, poll, wait_for, expect, never, gone, keys, pid_of and
# sp_start (a session running sockplay); a test with needs of its own
# starts its sessions itself.
command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
"$SOCKPLAY" --sandbox --batch - </dev/null >/dev/null 2>&1 || skip "no sandbox here"

sock="$tmp/tmux.sock"
T() { tmux -S "$sock" "$@"; }
cleanup='T kill-server 2>/dev/null'
# one session that lives as long as the test: a server whose last session a
# test kills exits, and a new-session racing that exit finds no server
T new-session -d -s keep -x 20 -y 5 "sleep 3600" || bad "tmux cannot start a server"
S=
# bad() also shows the screen it saw
bad() { fail=$((fail + 1)); echo "FAIL: $*"; [ -n "$S" ] && T capture-pane -t "$S" -p | sed 's/^/    | /'; }
screen() { T capture-pane -t "$S" -p; }
on_screen() { screen | grep -qF -- "$1"; }
# poll SECONDS CMD...: run CMD every 0.05 s until it succeeds (never a bare sleep); its
# counters are its own (a caller's loop over i once never ended: poll reset it)
poll() {
	_poll_n=0 _poll_limit=$(( $1 * 20 ))
	shift
	while [ $_poll_n -lt $_poll_limit ]; do
		"$@" && return 0
		sleep 0.05
		_poll_n=$((_poll_n + 1))
	done
	return 1
}
off_screen() { ! on_screen "$1"; }
# wait_for TEXT [SECONDS]: poll the pane until it contains TEXT
wait_for() { poll "${2:-5}" on_screen "$1"; }
expect() { if wait_for "$1" "${2:-5}"; then ok; else bad "screen never showed '$1'"; fi; }
# never TEXT: not on the screen now (after an expect that waited for the screen to settle)
never() { if on_screen "$1"; then bad "screen shows '$1'"; else ok; fi; }
# gone TEXT [SECONDS]: a key took TEXT away: poll until it is off the screen
gone() { if poll "${2:-5}" off_screen "$1"; then ok; else bad "screen still shows '$1'"; fi; }
keys() { T send-keys -t "$S" "$@"; }
# the program in session NAME: the pane's child, found by its parent, never by a pattern
pid_of() { pgrep -P "$(T list-panes -t "$1" -F '#{pane_pid}')" -x sockplay; }
# sp_start NAME COLS ROWS [ARGS...]: sockplay ARGS in a fresh session (S=NAME), state
# in $tmp/state-NAME; after it exits the pane shows EXIT=<status>
sp_start() {
	S=$1 sp_cols=$2 sp_rows=$3
	shift 3
	T new-session -d -s "$S" -x "$sp_cols" -y "$sp_rows" \
		"env LANG=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/state-$S $SOCKPLAY $*; echo EXIT=\$?; sleep 60"
}
