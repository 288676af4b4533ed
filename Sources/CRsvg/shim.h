// librsvg (SVG rendering) and cairo's PDF surface, exposed to Swift. Nothing else.
#include <librsvg/rsvg.h>
#include <cairo.h>
#include <cairo-pdf.h>
