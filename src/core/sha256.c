/*
 * sha256.c - SHA-256 as FIPS 180-4 §6.2 describes it, and HMAC over it as
 * RFC 2104 does.  Portable C99: big-endian words are assembled byte by
 * byte, so the host's byte order does not matter.
 */
#include "sha256.h"

#include <string.h>

/* FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

/* Rotate a 32-bit word right by n (0 < n < 32). */
static inline uint32_t
rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/* The big-endian word at p. */
static inline uint32_t
load_be32(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
		((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

/* Store w big-endian at p. */
static inline void
store_be32(uint8_t *p, uint32_t w)
{
	p[0] = (uint8_t) (w >> 24);
	p[1] = (uint8_t) (w >> 16);
	p[2] = (uint8_t) (w >> 8);
	p[3] = (uint8_t) w;
}

/* FIPS 180-4 §6.2.2: compress one 64-byte block into the chaining value. */
static void
compress_portable(uint32_t h[8], const uint8_t *block)
{
	uint32_t	w[64];
	uint32_t	a, b, c, d, e, f, g, hh;
	int			t;

	for (t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	for (t = 16; t < 64; t++)
	{
		uint32_t	s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t	s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);

		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	f = h[5];
	g = h[6];
	hh = h[7];
	for (t = 0; t < 64; t++)
	{
		uint32_t	S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
		uint32_t	ch = (e & f) ^ (~e & g);
		uint32_t	t1 = hh + S1 + ch + K[t] + w[t];
		uint32_t	S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
		uint32_t	maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t	t2 = S0 + maj;

		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

/*
 * The same with the x86 SHA extensions (most x86-64 CPUs since 2017), for
 * 'n' blocks: the reader hashes every mail that has no Message-ID, and the
 * portable rounds were a fourteenth of its time.  Chosen at run time by
 * CPUID, so the build needs no flag and any x86-64 runs it.  The schedule
 * is FIPS 180-4's, four words at a time: for words 4i..4i+3, sha256msg1
 * adds sigma0 of the words 15 back to those 16 back, the alignr adds those
 * 7 back, sha256msg2 adds sigma1 of those 2 back.
 */
#if defined(__x86_64__) && defined(__GNUC__)
#define BOUNCE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>

__attribute__((target("sha,ssse3,sse4.1")))
static void
compress_shani(uint32_t h[8], const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i		tmp = _mm_loadu_si128((const __m128i *) (const void *) &h[0]);
	__m128i		st1 = _mm_loadu_si128((const __m128i *) (const void *) &h[4]);
	__m128i		st0;

	/* the instructions keep the state as ABEF and CDGH */
	tmp = _mm_shuffle_epi32(tmp, 0xB1);	/* CDAB */
	st1 = _mm_shuffle_epi32(st1, 0x1B);	/* EFGH */
	st0 = _mm_alignr_epi8(tmp, st1, 8);	/* ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xF0);	/* CDGH */
	for (; n > 0; n--, p += BOUNCE_SHA256_BLOCK)
	{
		__m128i		abef = st0;
		__m128i		cdgh = st1;
		__m128i		w[4];
		int			i;

		for (i = 0; i < 16; i++)
		{
			__m128i		m;

			if (i < 4)
				w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *) (const void *) (p + 16 * i)), bswap);
			else
				w[i & 3] = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]),
															  _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4)),
												w[(i + 3) & 3]);
			m = _mm_add_epi32(w[i & 3], _mm_loadu_si128((const __m128i *) (const void *) &K[4 * i]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, m);
			st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(m, 0x0E));
		}
		st0 = _mm_add_epi32(st0, abef);
		st1 = _mm_add_epi32(st1, cdgh);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1B);	/* FEBA */
	st1 = _mm_shuffle_epi32(st1, 0xB1);	/* DCHG */
	st0 = _mm_blend_epi16(tmp, st1, 0xF0);	/* DCBA */
	st1 = _mm_alignr_epi8(st1, tmp, 8);	/* HGFE */
	_mm_storeu_si128((__m128i *) (void *) &h[0], st0);
	_mm_storeu_si128((__m128i *) (void *) &h[4], st1);
}

/* Does this CPU have the SHA extensions (and the SSSE3 and SSE4.1 they come with)? */
static bool
have_shani(void)
{
	static int	have = -1;

	if (have < 0)
	{
		unsigned	a, b, c, d;

		have = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) && (c & bit_SSE4_1) &&
			__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
	}
	return have > 0;
}
#endif

/* Compress n consecutive blocks. */
static void
compress_blocks(uint32_t h[8], const uint8_t *p, size_t n)
{
#ifdef BOUNCE_SHA_NI
	if (have_shani())
	{
		compress_shani(h, p, n);
		return;
	}
#endif
	for (; n > 0; n--, p += BOUNCE_SHA256_BLOCK)
		compress_portable(h, p);
}

/* Compress one block. */
static void
compress(uint32_t h[8], const uint8_t *block)
{
	compress_blocks(h, block, 1);
}

/* FIPS 180-4 §5.3.3: the initial hash value. */
void
bounce_sha256_init(bounce_sha256_ctx *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(c->h, iv, sizeof(iv));
	c->bytes = 0;
	c->used = 0;
}

/* Absorb data: fill the pending block, compress whole blocks in place. */
void
bounce_sha256_update(bounce_sha256_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = (const uint8_t *) data;

	c->bytes += len;
	if (c->used > 0)
	{
		size_t		n = BOUNCE_SHA256_BLOCK - c->used;

		if (n > len)
			n = len;
		memcpy(c->block + c->used, p, n);
		c->used += n;
		p += n;
		len -= n;
		if (c->used < BOUNCE_SHA256_BLOCK)
			return;
		compress(c->h, c->block);
		c->used = 0;
	}
	if (len >= BOUNCE_SHA256_BLOCK)
	{
		size_t		n = len / BOUNCE_SHA256_BLOCK;

		compress_blocks(c->h, p, n);
		p += n * BOUNCE_SHA256_BLOCK;
		len -= n * BOUNCE_SHA256_BLOCK;
	}
	memcpy(c->block, p, len);
	c->used = len;
}

/* FIPS 180-4 §5.1.1: a 1 bit, zeros, the 64-bit bit length; then the digest. */
void
bounce_sha256_final(bounce_sha256_ctx *c, uint8_t out[BOUNCE_SHA256_DIGEST])
{
	uint64_t	bits = c->bytes * 8;
	int			i;

	c->block[c->used++] = 0x80;
	if (c->used > BOUNCE_SHA256_BLOCK - 8)
	{
		memset(c->block + c->used, 0, BOUNCE_SHA256_BLOCK - c->used);
		compress(c->h, c->block);
		c->used = 0;
	}
	memset(c->block + c->used, 0, BOUNCE_SHA256_BLOCK - 8 - c->used);
	for (i = 0; i < 8; i++)
		c->block[BOUNCE_SHA256_BLOCK - 1 - i] = (uint8_t) (bits >> (8 * i));
	compress(c->h, c->block);
	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, c->h[i]);
}

/* One-shot SHA-256. */
void
bounce_sha256(const void *data, size_t len, uint8_t out[BOUNCE_SHA256_DIGEST])
{
	bounce_sha256_ctx c;

	bounce_sha256_init(&c);
	bounce_sha256_update(&c, data, len);
	bounce_sha256_final(&c, out);
}

/* RFC 2104 §2: H(K ^ opad, H(K ^ ipad, text)); both pads absorbed here. */
void
bounce_hmac_sha256_init(bounce_hmac_sha256_ctx *c, const void *key, size_t key_len)
{
	uint8_t		k[BOUNCE_SHA256_BLOCK];
	uint8_t		pad[BOUNCE_SHA256_BLOCK];
	int			i;

	memset(k, 0, sizeof(k));
	if (key_len > BOUNCE_SHA256_BLOCK)
		bounce_sha256(key, key_len, k);
	else if (key_len > 0)
		memcpy(k, key, key_len);

	for (i = 0; i < BOUNCE_SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	bounce_sha256_init(&c->inner);
	bounce_sha256_update(&c->inner, pad, sizeof(pad));
	for (i = 0; i < BOUNCE_SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	bounce_sha256_init(&c->outer);
	bounce_sha256_update(&c->outer, pad, sizeof(pad));
	/* the key's traces on the stack are not the caller's to worry about */
	memset(k, 0, sizeof(k));
	memset(pad, 0, sizeof(pad));
}

/* Absorb message bytes into the inner hash. */
void
bounce_hmac_sha256_update(bounce_hmac_sha256_ctx *c, const void *data, size_t len)
{
	bounce_sha256_update(&c->inner, data, len);
}

/* Finish the inner hash and feed it to the outer one. */
void
bounce_hmac_sha256_final(bounce_hmac_sha256_ctx *c, uint8_t out[BOUNCE_SHA256_DIGEST])
{
	uint8_t		ih[BOUNCE_SHA256_DIGEST];

	bounce_sha256_final(&c->inner, ih);
	bounce_sha256_update(&c->outer, ih, sizeof(ih));
	bounce_sha256_final(&c->outer, out);
}

/* One-shot HMAC-SHA256. */
void
bounce_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t len,
				   uint8_t out[BOUNCE_SHA256_DIGEST])
{
	bounce_hmac_sha256_ctx c;

	bounce_hmac_sha256_init(&c, key, key_len);
	bounce_hmac_sha256_update(&c, msg, len);
	bounce_hmac_sha256_final(&c, out);
}

/* Compare without an early exit: every byte is read, differences OR-ed. */
bool
bounce_equal_ct(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = (const volatile uint8_t *) a;
	const volatile uint8_t *y = (const volatile uint8_t *) b;
	uint8_t		diff = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		diff |= (uint8_t) (x[i] ^ y[i]);
	return diff == 0;
}
