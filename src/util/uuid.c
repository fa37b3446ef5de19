#include <pthread.h>
#include <string.h>

#include "util/crypto.h"
#include "util/timeutil.h"
#include "util/uuid.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t last_ms;
static unsigned seq;

void
uuid_v7(char out[37])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	int64_t ms = time_now_ms();
	unsigned s;
	int i, o = 0;

	crypto_random(b, sizeof b);
	/* A 12-bit counter in rand_a keeps ids from one process ordered. */
	pthread_mutex_lock(&lock);
	if (ms <= last_ms) {
		ms = last_ms;
		if (++seq > 0xFFF) {
			ms = ++last_ms;
			seq = 0;
		}
	} else {
		last_ms = ms;
		seq = b[6] & 0x3;	/* small random start leaves headroom */
	}
	s = seq;
	pthread_mutex_unlock(&lock);
	for (i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | ((s >> 8) & 0x0F));
	b[7] = (unsigned char)(s & 0xFF);
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3F));
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0xF];
	}
	out[36] = '\0';
}

int
uuid_valid(const char *s)
{
	int i;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		char c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			return 0;
		}
	}
	return 1;
}
