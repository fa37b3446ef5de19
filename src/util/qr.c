#include <stdlib.h>

#include <qrencode.h>

#include "util/buf.h"
#include "util/qr.h"

#define QUIET	4	/* modules of white around the code */

enum err
qr_svg(const char *text, char **out)
{
	QRcode *q;
	struct buf b;
	int x, y, size;

	*out = NULL;
	if ((q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M)) == NULL)
		return ERR_TOO_LARGE;
	size = q->width + 2 * QUIET;
	/* Version 40 is 177 modules; each row is at most 89 runs. */
	buf_init(&b, 1 << 20);
	buf_secret(&b);
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\""
	    " viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path d=\"",
	    size, size, size, size);
	/* One rectangle per horizontal run of black modules (bit 0 of each
	 * byte of the matrix). */
	for (y = 0; y < q->width; y++) {
		for (x = 0; x < q->width; ) {
			int run = 0;

			while (x + run < q->width &&
			    (q->data[y * q->width + x + run] & 1))
				run++;
			if (run == 0) {
				x++;
				continue;
			}
			buf_printf(&b, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET,
			    run, run);
			x += run;
		}
	}
	buf_puts(&b, "\" fill=\"#000\"/></svg>");
	QRcode_free(q);
	*out = buf_take(&b);
	return ERR_OK;
}
