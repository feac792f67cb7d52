/*
 * Proof-of-work scan kernel for Hashline block headers.
 *
 * A header is 80 bytes; SHA-256 processes it as two 64-byte blocks, and only the
 * second one contains the nonce (bytes 76..80). So the state after the first block
 * (the "midstate") is computed once per scan, and each nonce costs two compressions:
 * the header's second block, then the single block of the outer hash.
 *
 * The compression function is OpenSSL's (SHA256_Transform), which Node links in and
 * exports to addons; OpenSSL picks the fastest code path for the CPU (SHA-NI, AVX2,
 * or portable C) at run time, so no hand-written crypto lives here.
 */
#include <node_api.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>

static const uint32_t SHA256_IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

static void put_be32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/* The hash, read as a big-endian 256-bit number, is <= target (both as 8 big-endian words). */
static int hash_at_most(const SHA_LONG *h, const uint32_t *target) {
  for (int i = 0; i < 8; i++) {
    if (h[i] != target[i]) return h[i] < target[i];
  }
  return 1;
}

/*
 * Scans nonces start .. start+count-1 (count >= 1, no wrap past 0xffffffff).
 * Returns 1 and sets *found to the first nonce whose double SHA-256 <= target.
 */
static int scan_range(const unsigned char header[80], const unsigned char target_bytes[32], uint32_t start,
                      uint64_t count, uint32_t *found) {
  uint32_t target[8];
  for (int i = 0; i < 8; i++) target[i] = get_be32(target_bytes + 4 * i);

  SHA256_CTX first;
  memcpy(first.h, SHA256_IV, sizeof SHA256_IV);
  SHA256_Transform(&first, header);

  /* Second block of the inner hash: header bytes 64..80, then padding for an 80-byte message. */
  unsigned char tail[64];
  memset(tail, 0, sizeof tail);
  memcpy(tail, header + 64, 16);
  tail[16] = 0x80;
  put_be32(tail + 60, 80 * 8);

  /* The outer hash's only block: the 32-byte inner digest, then padding for a 32-byte message. */
  unsigned char outer[64];
  memset(outer, 0, sizeof outer);
  outer[32] = 0x80;
  put_be32(outer + 60, 32 * 8);

  SHA256_CTX inner, result;
  uint32_t nonce = start;
  for (uint64_t i = 0; i < count; i++, nonce++) {
    tail[12] = (unsigned char)nonce; /* nonce is little-endian at header offset 76 */
    tail[13] = (unsigned char)(nonce >> 8);
    tail[14] = (unsigned char)(nonce >> 16);
    tail[15] = (unsigned char)(nonce >> 24);
    memcpy(inner.h, first.h, sizeof first.h);
    SHA256_Transform(&inner, tail);
    for (int w = 0; w < 8; w++) put_be32(outer + 4 * w, inner.h[w]);
    memcpy(result.h, SHA256_IV, sizeof SHA256_IV);
    SHA256_Transform(&result, outer);
    if (hash_at_most(result.h, target)) {
      *found = nonce;
      return 1;
    }
  }
  return 0;
}

static napi_value throw_type_error(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

static int get_bytes(napi_env env, napi_value value, size_t expected, const unsigned char **out) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  bool is_typedarray = false;
  if (napi_is_typedarray(env, value, &is_typedarray) != napi_ok || !is_typedarray) return 0;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, NULL, NULL) != napi_ok) return 0;
  if (type != napi_uint8_array || length != expected) return 0;
  *out = (const unsigned char *)data;
  return 1;
}

/* scan(header: Uint8Array(80), target: Uint8Array(32), start: number, count: number): number (nonce or -1) */
static napi_value Scan(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 4)
    return throw_type_error(env, "scan(header, target, start, count) takes 4 arguments");

  const unsigned char *header, *target;
  if (!get_bytes(env, argv[0], 80, &header)) return throw_type_error(env, "header must be a Uint8Array of 80 bytes");
  if (!get_bytes(env, argv[1], 32, &target)) return throw_type_error(env, "target must be a Uint8Array of 32 bytes");

  double start, count;
  if (napi_get_value_double(env, argv[2], &start) != napi_ok || napi_get_value_double(env, argv[3], &count) != napi_ok)
    return throw_type_error(env, "start and count must be numbers");
  if (!(start >= 0 && start <= 4294967295.0 && start == (double)(uint32_t)start))
    return throw_type_error(env, "start must be an integer in 0..0xffffffff");
  if (!(count >= 0 && count == (double)(uint64_t)count && start + count <= 4294967296.0))
    return throw_type_error(env, "count must be an integer with start + count <= 2^32");

  /* Copy the inputs: the scan must not see the caller's buffers change under it. */
  unsigned char header_copy[80], target_copy[32];
  memcpy(header_copy, header, 80);
  memcpy(target_copy, target, 32);

  uint32_t found = 0;
  int hit = count > 0 && scan_range(header_copy, target_copy, (uint32_t)start, (uint64_t)count, &found);
  napi_value result;
  napi_create_double(env, hit ? (double)found : -1.0, &result);
  return result;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value fn, version;
  napi_create_function(env, "scan", NAPI_AUTO_LENGTH, Scan, NULL, &fn);
  napi_set_named_property(env, exports, "scan", fn);
  /* Lets the loader reject a stale build whose interface differs from what it expects. */
  napi_create_uint32(env, 1, &version);
  napi_set_named_property(env, exports, "abiVersion", version);
  return exports;
}
