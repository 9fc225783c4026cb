/* image_jpeg.c — JPEG to RGBA with libjpeg-turbo's TurboJPEG API (the only
 * file that includes turbojpeg.h), into the same struct image as the PNG
 * decoder.
 *
 * DCT scaling: libjpeg-turbo can decode at 1/8, 1/4, 3/8, 1/2 ... of the
 * full size for little more than the cost of the smaller image, so the
 * smallest scale that still covers the wanted size is used (a 4000x3000
 * photo for a 40x20-cell preview is decoded at 500x375; 7/8 is never
 * used, being slower than the full size). Corrupt data fails
 * with a reason; data libjpeg can recover from (a truncated scan) decodes
 * with the missing part grey, as other viewers show it.
 */
#include "image.h"

#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

static int fits(int w, int h)
{
	return w <= IMAGE_MAX_SIDE && h <= IMAGE_MAX_SIDE &&
	       (uint64_t)w * (uint64_t)h <= IMAGE_MAX_PIXELS;
}

void image_jpeg_size(int w, int h, int want_w, int want_h, int *sw_out, int *sh_out)
{
	if (want_w <= 0 && want_h <= 0) {     /* full size, if it fits */
		want_w = w;
		want_h = h;
	}
	int nsf = 0;
	tjscalingfactor *sf = tjGetScalingFactors(&nsf);
	int best = -1, bw = 0, bh = 0;
	/* the smallest scale covering want_w x want_h; else the largest that
	 * fits. Not 7/8: libjpeg-turbo has no SIMD transform for it, and it
	 * decodes slower than the full size (6.4 against 4.2 ms for a
	 * 1000x1000 photograph) */
	for (int i = 0; sf && i < nsf; i++) {
		int sw = TJSCALED(w, sf[i]), sh = TJSCALED(h, sf[i]);
		if (!fits(sw, sh) || sf[i].num > sf[i].denom ||
		    sf[i].num * 8 == sf[i].denom * 7)
			continue;
		int covers = sw >= want_w && sh >= want_h;
		int bcovers = best >= 0 && bw >= want_w && bh >= want_h;
		if (best < 0 || (covers && (!bcovers || (uint64_t)sw * sh < (uint64_t)bw * bh)) ||
		    (!covers && !bcovers && (uint64_t)sw * sh > (uint64_t)bw * bh)) {
			best = i;
			bw = sw;
			bh = sh;
		}
	}
	*sw_out = best < 0 ? 0 : bw;
	*sh_out = best < 0 ? 0 : bh;
}

int image_decode_jpeg(const uint8_t *data, size_t len, int want_w, int want_h,
		      struct image *out, int *full_w, int *full_h, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (len < 3 || data[0] != 0xff || data[1] != 0xd8 || data[2] != 0xff)
		return err_set(e, ERR_INPUT, "not a JPEG file");
	tjhandle tj = tjInitDecompress();
	if (!tj)
		return err_set(e, ERR_RUNTIME, "cannot start the JPEG decoder");
	int w = 0, h = 0, sub = 0, cs = 0, rc = -1;
	if (tjDecompressHeader3(tj, data, (unsigned long)len, &w, &h, &sub, &cs) < 0 ||
	    w <= 0 || h <= 0) {
		err_set(e, ERR_INPUT, "cannot decode the JPEG: %s", tjGetErrorStr2(tj));
		goto out;
	}
	if (full_w)
		*full_w = w;
	if (full_h)
		*full_h = h;
	int bw, bh;
	image_jpeg_size(w, h, want_w, want_h, &bw, &bh);
	if (bw < 1) {
		err_set(e, ERR_INPUT, "image too large to preview (%dx%d; at most %d a side "
			"and %u pixels)", w, h, IMAGE_MAX_SIDE, IMAGE_MAX_PIXELS);
		goto out;
	}
	uint8_t *px = malloc((size_t)bw * (size_t)bh * 4);
	if (!px) {
		err_set(e, ERR_RUNTIME, "out of memory");
		goto out;
	}
	if (tjDecompress2(tj, data, (unsigned long)len, px, bw, 0, bh, TJPF_RGBA, 0) < 0 &&
	    tjGetErrorCode(tj) != TJERR_WARNING) {
		err_set(e, ERR_INPUT, "cannot decode the JPEG: %s", tjGetErrorStr2(tj));
		free(px);
		goto out;
	}
	out->w = bw;
	out->h = bh;
	out->rgba = px;
	rc = 0;
out:
	tjDestroy(tj);
	return rc;
}
