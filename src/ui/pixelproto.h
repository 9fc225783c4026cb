/* pixelproto.h — the terminal graphics protocols as pure functions: RGBA
 * pixels to the bytes that draw them (sixel, kitty graphics, iTerm2 inline
 * images), tmux passthrough wrapping, and the bytes
 * that remove a kitty picture. Nothing here writes to a terminal; the
 * curses front end (term.c) writes what these return. */
#ifndef RELABEL_PIXELPROTO_H
#define RELABEL_PIXELPROTO_H

#include <stddef.h>
#include <stdint.h>

#include "imgview.h"

/* The sequence that draws rgba (w x h, 4 bytes a pixel, straight alpha)
 * from the cursor position, in mode (IMG_SIXEL, IMG_KITTY or IMG_ITERM).
 * Kitty and iTerm2 place it over cols x rows cells (w = cols*cell_w,
 * h = rows*cell_h): kitty as RGBA (f=32) in base64 chunks with
 * c=cols,r=rows and q=2 (no replies); iTerm2 as OSC 1337 File= with an uncompressed TIFF.
 * Sixel (DCS ... ST, transparent pixels left as they are) ignores cols
 * and rows and needs h a multiple of 6: relabel's encoder (sixel.h) for a
 * picture whose pixels are opaque or transparent, chafa's for any other.
 * Returns a malloc'd buffer (*len bytes, NUL-terminated), or NULL for
 * sizes it cannot encode. */
char *pixel_encode(enum img_mode mode, const uint8_t *rgba, int w, int h, int cols,
		   int rows, size_t *len);
/* Sixel through chafa, whatever the pixels (the path for partial alpha,
 * and the reference the tests hold relabel's encoder to). */
char *pixel_sixel_chafa(const uint8_t *rgba, int w, int h, size_t *len);

/* Each escape sequence of in (ESC ... ST or BEL) wrapped for tmux's
 * passthrough: ESC P tmux; with every ESC doubled, then ESC \. Returns a
 * malloc'd buffer (*len bytes). */
char *pixel_tmux_wrap(const char *in, size_t inlen, size_t *len);

/* The bytes that remove every kitty picture placed (delete all, free). */
const char *pixel_kitty_delete(void);

#endif
