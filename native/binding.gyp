{
  "targets": [
    {
      "target_name": "hashline_pow",
      "sources": ["src/pow.c"],
      "defines": ["NAPI_VERSION=8", "OPENSSL_SUPPRESS_DEPRECATED"],
      "cflags_c": ["-O3", "-std=c99"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3"] }
    }
  ]
}
