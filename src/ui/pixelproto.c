/* pixelproto.c — graphics protocol encoders (see pixelproto.h): sixel with
 * relabel's own encoder (sixel.c) and through libchafa for what that one
 * does not take, iTerm2 through libchafa, kitty with glib's base64. The
 * picture arrives already fitted to the cells, so chafa's canvas is made
 * exactly its size and scales nothing. */
#include "pixelproto.h"

#include <chafa.h>
#include <stdlib.h>
#include <string.h>

#include "sixel.h"
#include "util.h"

/* Kitty: RGBA in base64 chunks of 4096 characters (3072 bytes, so no
 * chunk but the last is padded); q=2 keeps the terminal from answering.
 * Written here with glib's base64: chafa 1.12 pads every chunk of its own
 * and gets the last byte of each wrong (every 128th pixel's alpha). */
static char *kitty_encode(const uint8_t *rgba, int w, int h, int cols, int rows, size_t *len)
{
	size_t n = (size_t)w * (size_t)h * 4, chunks = (n + 3071) / 3072;
	GString *s = g_string_sized_new(n / 3 * 4 + chunks * 16 + 64);
	for (size_t i = 0; i < chunks; i++) {
		size_t off = i * 3072, m = n - off < 3072 ? n - off : 3072;
		if (i == 0)
			g_string_append_printf(s, "\x1b_Ga=T,f=32,s=%d,v=%d,c=%d,r=%d,q=2,", w, h,
					       cols, rows);
		else
			g_string_append(s, "\x1b_G");
		g_string_append_printf(s, "m=%d;", i + 1 < chunks);
		gchar *b = g_base64_encode(rgba + off, m);
		g_string_append(s, b);
		g_free(b);
		g_string_append(s, "\x1b\\");
	}
	*len = s->len;
	return g_string_free(s, FALSE);
}

/* chafa's sequence for rgba as cols x rows cells, in pixel mode pm. */
static char *chafa_encode(ChafaPixelMode pm, const uint8_t *rgba, int w, int h, int cols,
			  int rows, size_t *len)
{
	ChafaCanvasConfig *cfg = chafa_canvas_config_new();
	chafa_canvas_config_set_geometry(cfg, cols, rows);
	chafa_canvas_config_set_cell_geometry(cfg, w / cols, h / rows);
	chafa_canvas_config_set_pixel_mode(cfg, pm);
	chafa_canvas_config_set_canvas_mode(cfg, CHAFA_CANVAS_MODE_TRUECOLOR);
	/* the picture is drawn as it is: no dithering of the sixel palette */
	chafa_canvas_config_set_dither_mode(cfg, CHAFA_DITHER_MODE_NONE);
	ChafaCanvas *cv = chafa_canvas_new(cfg);
	chafa_canvas_draw_all_pixels(cv, CHAFA_PIXEL_RGBA8_UNASSOCIATED, rgba, w, h, w * 4);
	/* the fallback terminal description knows every protocol's sequences */
	ChafaTermInfo *ti = chafa_term_db_get_fallback_info(chafa_term_db_get_default());
	GString *s = chafa_canvas_print(cv, ti);
	char *out = xmalloc(s->len + 1);
	memcpy(out, s->str, s->len);
	out[s->len] = '\0';
	*len = s->len;
	g_string_free(s, TRUE);
	chafa_term_info_unref(ti);
	chafa_canvas_unref(cv);
	chafa_canvas_config_unref(cfg);
	return out;
}

char *pixel_sixel_chafa(const uint8_t *rgba, int w, int h, size_t *len)
{
	*len = 0;
	if (w < 1 || h < 6 || h % 6)
		return NULL;
	/* sixel knows no cells: one "cell" the picture's size, which must be
	 * whole bands (chafa would rescale the rest away) */
	return chafa_encode(CHAFA_PIXEL_MODE_SIXELS, rgba, w, h, 1, 1, len);
}

char *pixel_encode(enum img_mode mode, const uint8_t *rgba, int w, int h, int cols,
		   int rows, size_t *len)
{
	*len = 0;
	if (!IMG_IS_PIXELS(mode) || cols < 1 || rows < 1 || w < 1 || h < 1)
		return NULL;
	if (mode == IMG_SIXEL) {
		/* RELABEL_SIXEL=chafa: libchafa for every picture (the safe path;
		 * relabel's encoder is several times faster) */
		const char *enc = getenv("RELABEL_SIXEL");
		char *out = enc && !strcmp(enc, "chafa") ? NULL : sixel_encode(rgba, w, h, len);
		return out ? out : pixel_sixel_chafa(rgba, w, h, len);
	}
	if (w % cols || h % rows)
		return NULL;
	if (mode == IMG_KITTY) {
		char *g = kitty_encode(rgba, w, h, cols, rows, len);
		char *out = xmalloc(*len + 1);
		memcpy(out, g, *len + 1);
		g_free(g);
		return out;
	}
	return chafa_encode(CHAFA_PIXEL_MODE_ITERM2, rgba, w, h, cols, rows, len);
}

/* Length of the escape sequence at p (up to ST or BEL), or 0 if p does not
 * start one; an unterminated sequence runs to the end. */
static size_t seq_len(const char *p, size_t n)
{
	if (n < 2 || p[0] != 0x1b)
		return 0;
	for (size_t i = 2; i < n; i++) {
		if (p[i] == 0x07 && p[1] == ']')
			return i + 1;
		if (p[i] == 0x1b && i + 1 < n && p[i + 1] == '\\')
			return i + 2;
		if (p[1] == '[' && (unsigned char)p[i] >= 0x40 && (unsigned char)p[i] <= 0x7e)
			return i + 1;
	}
	return n;
}

char *pixel_tmux_wrap(const char *in, size_t inlen, size_t *len)
{
	/* worst case: every byte an ESC, plus a prefix and suffix per byte */
	char *out = xmalloc(inlen * 2 + 16 * (inlen / 2 + 1) + 1);
	size_t o = 0, i = 0;
	while (i < inlen) {
		size_t n = seq_len(in + i, inlen - i);
		if (!n) {           /* plain bytes pass as they are */
			out[o++] = in[i++];
			continue;
		}
		memcpy(out + o, "\x1bPtmux;", 7);
		o += 7;
		for (size_t j = 0; j < n; j++) {
			if (in[i + j] == 0x1b)
				out[o++] = 0x1b;
			out[o++] = in[i + j];
		}
		out[o++] = 0x1b;
		out[o++] = '\\';
		i += n;
	}
	out[o] = '\0';
	*len = o;
	return out;
}

const char *pixel_kitty_delete(void)
{
	return "\x1b_Ga=d,d=A\x1b\\";
}
