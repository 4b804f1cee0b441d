/*
 * grow: room for one more element in an array that doubles as it fills.
 * The caller keeps the count and the capacity; GROW(arr, n, cap, first)
 * makes arr hold at least n + 1 elements (the first allocation holds
 * `first`, and it doubles as often as that takes) and is false, arr and
 * cap unchanged, when memory ran out.
 * One idiom for the socket table, the records, the rows, the packets...
 */
#ifndef SOCKPLAY_GROW_H
#define SOCKPLAY_GROW_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* arrayp points to the array's pointer (of any object type). */
static inline bool grow_array(void *arrayp, size_t n, size_t *cap, size_t first, size_t size)
{
	void *old, *p;
	size_t c;

	if (n < *cap)
		return true;
	for (c = *cap ? *cap * 2 : first; c <= n; c *= 2)
		;
	memcpy(&old, arrayp, sizeof old);
	p = realloc(old, c * size);
	if (p == NULL)
		return false;
	memcpy(arrayp, &p, sizeof p);
	*cap = c;
	return true;
}

#define GROW(arr, n, cap, first) grow_array(&(arr), (n), &(cap), (first), sizeof *(arr))

#endif
