{
  "targets": [
    {
      "target_name": "gmp_gcd",
      "sources": ["gmp-gcd.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-Wall", "-Wextra"],
      "libraries": ["-lgmp"]
    }
  ]
}
