/*
 * gfp.h — allocation flags ("get free pages"), as in Linux: what the caller
 * allows and wants. Baton has one CPU, no sleeping and no reclaim, so the
 * flags only say what the memory should look like.
 */
#ifndef BATON_GFP_H
#define BATON_GFP_H

typedef unsigned int gfp_t;

#define GFP_KERNEL 0u
#define __GFP_ZERO (1u << 0) /* return zeroed memory */

#endif
