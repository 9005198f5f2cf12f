/* A fixed-size ring buffer of bytes, written for LSTM Lens's held-out sample:
 * code the bundled model never saw while training. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *data;
    size_t capacity;
    size_t head;  /* next byte to read */
    size_t count; /* bytes stored */
} ring_buffer;

int ring_init(ring_buffer *rb, size_t capacity)
{
    if (capacity == 0) {
        return -1;
    }
    rb->data = malloc(capacity);
    if (rb->data == NULL) {
        return -1;
    }
    rb->capacity = capacity;
    rb->head = 0;
    rb->count = 0;
    return 0;
}

void ring_free(ring_buffer *rb)
{
    free(rb->data);
    rb->data = NULL;
    rb->capacity = 0;
    rb->head = 0;
    rb->count = 0;
}

size_t ring_space(const ring_buffer *rb)
{
    return rb->capacity - rb->count;
}

/* Writes up to len bytes; returns how many fit. */
size_t ring_write(ring_buffer *rb, const unsigned char *src, size_t len)
{
    size_t written = 0;
    while (written < len && rb->count < rb->capacity) {
        size_t tail = (rb->head + rb->count) % rb->capacity;
        size_t run = rb->capacity - tail;
        if (run > len - written) {
            run = len - written;
        }
        if (run > ring_space(rb)) {
            run = ring_space(rb);
        }
        memcpy(rb->data + tail, src + written, run);
        rb->count += run;
        written += run;
    }
    return written;
}

/* Reads up to len bytes into dst; returns how many were read. */
size_t ring_read(ring_buffer *rb, unsigned char *dst, size_t len)
{
    size_t read = 0;
    while (read < len && rb->count > 0) {
        size_t run = rb->capacity - rb->head;
        if (run > rb->count) {
            run = rb->count;
        }
        if (run > len - read) {
            run = len - read;
        }
        memcpy(dst + read, rb->data + rb->head, run);
        rb->head = (rb->head + run) % rb->capacity;
        rb->count -= run;
        read += run;
    }
    return read;
}

int ring_peek(const ring_buffer *rb, size_t index, unsigned char *out)
{
    if (index >= rb->count) {
        return -1;
    }
    *out = rb->data[(rb->head + index) % rb->capacity];
    return 0;
}
