// glibc's allocator settings (mallopt and its M_* parameters): nothing else.
#include <malloc.h>
