#ifndef UTIL_QR_H
#define UTIL_QR_H

#include "util/err.h"

/*
 * A QR code (libqrencode, error correction level M) of text as a minimal
 * SVG image: one white square and one black path, four modules of quiet
 * zone, one unit per module, no script, no external references. ERR_OK
 * with *out a new string (caller frees with free()); ERR_TOO_LARGE when
 * text does not fit a QR code.
 */
enum err qr_svg(const char *text, char **out);

#endif
