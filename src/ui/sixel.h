/* sixel.h — relabel's own sixel encoder for the pictures the pixel modes
 * make (opaque, alpha composited over black, the padding to whole bands
 * transparent). It does what chafa's sixel canvas does for them, for a
 * fraction of the time: a 255-colour palette by median cut over a 15-bit
 * colour histogram (each cut where it leaves the least squared error),
 * every pixel mapped to its nearest palette colour, and the bands written
 * colour by colour with repeats. pixelproto.c uses it for every picture it
 * can take and chafa for the rest; tests/test_pixels.c decodes both and
 * checks they agree. */
#ifndef RELABEL_SIXEL_H
#define RELABEL_SIXEL_H

#include <stddef.h>
#include <stdint.h>

/* The DCS ... ST sequence that draws rgba (w x h, 4 bytes a pixel; h a
 * multiple of 6) from the cursor, pixels of alpha 0 left as they are.
 * Returns a malloc'd, NUL-terminated buffer (*len bytes), or NULL if the
 * picture is not one it takes: a size out of range, or a pixel whose alpha
 * is neither 0 nor 255. */
char *sixel_encode(const uint8_t *rgba, int w, int h, size_t *len);

#endif
