/*
 * @trove/gmp-gcd: the one expensive step of DKIM key recovery (src/dkim/recover-modulus.ts) in native
 * GMP, as a Node-API addon. With e = 65537 the two numbers of the gcd have e times as many bits as the
 * key (134 million for a 2048-bit key); GMP's subquadratic gcd compiled natively takes about a third
 * of the time of GMP compiled to WebAssembly (gmp-wasm), trove's fallback.
 *
 *   job = start(s1, em1, s2, em2, e)   computes gcd(s1^e - em1, s2^e - em2) on a thread of its own
 *   poll(job)                          'power' or 'gcd' while it runs, then the gcd as a Buffer
 *
 * Numbers are big-endian unsigned bytes (Buffer or Uint8Array in, Buffer out; zero is empty).
 * Why a thread and polling rather than one synchronous call: GMP cannot be interrupted, and a worker
 * thread blocked in native code cannot be terminated, so Ctrl-C would wait for the gcd (a minute for
 * a 2048-bit key). Here the caller's thread only polls; when it goes away (worker.terminate(), or the
 * job is garbage collected) the computing thread is abandoned: it skips the gcd if it has not started
 * it, else finishes it, then frees everything. The process does not wait for it on exit. This library
 * pins itself in memory for that thread's sake: Node unloads an addon when the worker that loaded it
 * stops, which would pull GMP's code from under a running gcd (a crash, seen on Ctrl-C).
 *
 * Node-API version 8 only (no V8 or libuv API): one build loads on every Node release since 12.22,
 * whichever Node's headers it was compiled against. Bad arguments throw TypeError or RangeError.
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <gmp.h>
#include <node_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Longest signature or encoded message accepted: 1024 bytes, an 8192-bit key. s^e then has about
 * 537 million bits (67 MB); GMP aborts the whole process when an allocation fails, so the size of
 * what it is asked to allocate is bounded here.
 */
#define MAX_OPERAND_BYTES 1024
/* Largest public exponent accepted: F4, the one DKIM signers use. */
#define MAX_EXPONENT 65537
/* Stack of the computing threads: Linux's default, also where it is smaller (macOS: 512 KB); GMP
   keeps temporary blocks of up to 64 KB on the stack. */
#define THREAD_STACK_BYTES (8 * 1024 * 1024)

enum { S1, EM1, S2, EM2, OPERANDS };

typedef enum { JOB_POWERS, JOB_GCD, JOB_DONE } job_state_t;

/* One gcd, shared by the computing thread and the JS object that polls it. */
typedef struct {
  pthread_mutex_t lock;
  job_state_t state; /* under lock */
  int owners;        /* under lock: the thread and the JS object; the last one to let go frees the job */
  unsigned long e;
  uint8_t *operand[OPERANDS]; /* copies: the JS buffers may be gone before the thread reads them */
  size_t length[OPERANDS];
  mpz_t result; /* written by the thread, read only once state is JOB_DONE */
} job_t;

/* Tells a job object from any other object passed to poll(). */
static const napi_type_tag JOB_TAG = {0x7a0e5c1d2b3f4e61ULL, 0x9c8d7e6f5a4b3c2dULL};

static void release(job_t *job) {
  pthread_mutex_lock(&job->lock);
  int last = --job->owners == 0;
  pthread_mutex_unlock(&job->lock);
  if (!last) return;
  mpz_clear(job->result);
  for (int i = 0; i < OPERANDS; i++) free(job->operand[i]);
  pthread_mutex_destroy(&job->lock);
  free(job);
}

/* Moves the job to `state`; returns 0 if its JS object is gone (nobody will read the result). */
static int advance(job_t *job, job_state_t state) {
  pthread_mutex_lock(&job->lock);
  job->state = state;
  int wanted = job->owners > 1;
  pthread_mutex_unlock(&job->lock);
  return wanted;
}

/* Starts fn(arg) on a detached thread with THREAD_STACK_BYTES of stack; returns 0 on success. */
static int spawn(void *(*fn)(void *), void *arg) {
  pthread_attr_t attr;
  pthread_t thread;
  if (pthread_attr_init(&attr) != 0) return -1;
  int failed = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) ||
               pthread_attr_setstacksize(&attr, THREAD_STACK_BYTES) || pthread_create(&thread, &attr, fn, arg);
  pthread_attr_destroy(&attr);
  return failed;
}

/* target = s^e - em, from the job's operands s and em; scratch is a spare number. */
static void power_minus(mpz_t target, const job_t *job, int s, int em, mpz_t scratch) {
  mpz_import(target, job->length[s], 1, 1, 1, 0, job->operand[s]);
  mpz_pow_ui(target, target, job->e);
  mpz_import(scratch, job->length[em], 1, 1, 1, 0, job->operand[em]);
  mpz_sub(target, target, scratch);
}

/*
 * The two powers run one after the other: on a second core they would save 0.25 s of 15 (1024-bit
 * key), and the progress display estimates the gcd's time as a multiple of theirs.
 */
static void *run(void *arg) {
  job_t *job = arg;
  mpz_t a, b, scratch;
  mpz_inits(a, b, scratch, NULL);
  power_minus(a, job, S1, EM1, scratch);
  power_minus(b, job, S2, EM2, scratch);
  if (advance(job, JOB_GCD)) mpz_gcd(job->result, a, b);
  mpz_clears(a, b, scratch, NULL);
  advance(job, JOB_DONE);
  release(job);
  return NULL;
}

/* Throws unless an exception is pending already (a failed Node-API call may have set one). */
static void throw_error(napi_env env, const char *message) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, NULL, message);
}

/* Copies a Buffer or Uint8Array of at most MAX_OPERAND_BYTES into the job; throws and returns 0 otherwise. */
static int copy_operand(napi_env env, napi_value value, const char *name, job_t *job, int i) {
  char message[128];
  bool typed = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  napi_value arraybuffer;
  size_t offset;
  if (napi_is_typedarray(env, value, &typed) != napi_ok || !typed ||
      napi_get_typedarray_info(env, value, &type, &length, &data, &arraybuffer, &offset) != napi_ok ||
      type != napi_uint8_array) {
    snprintf(message, sizeof message, "%s must be a Buffer or Uint8Array", name);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
    return 0;
  }
  if (length > MAX_OPERAND_BYTES) {
    snprintf(message, sizeof message, "%s is %zu bytes; at most %d (an 8192-bit key) are accepted", name, length, MAX_OPERAND_BYTES);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", message);
    return 0;
  }
  job->operand[i] = malloc(length > 0 ? length : 1);
  if (job->operand[i] == NULL) {
    throw_error(env, "out of memory");
    return 0;
  }
  if (length > 0) memcpy(job->operand[i], data, length); /* data already points at the view's first byte */
  job->length[i] = length;
  return 1;
}

static void finalize_job(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  release(data);
}

/* start(s1, em1, s2, em2, e) -> job */
static napi_value start_job(napi_env env, napi_callback_info info) {
  static const char *names[OPERANDS] = {"s1", "em1", "s2", "em2"};
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {
    throw_error(env, "start: could not read its arguments");
    return NULL;
  }
  if (argc < 5) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "start(s1, em1, s2, em2, e) takes 5 arguments");
    return NULL;
  }
  napi_valuetype kind;
  double e = 0;
  if (napi_typeof(env, argv[4], &kind) != napi_ok || kind != napi_number ||
      napi_get_value_double(env, argv[4], &e) != napi_ok || !(e >= 3 && e <= MAX_EXPONENT) || e != (double)(unsigned long)e) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "e must be a whole number from 3 to 65537");
    return NULL;
  }

  job_t *job = calloc(1, sizeof *job);
  if (job == NULL) {
    throw_error(env, "out of memory");
    return NULL;
  }
  pthread_mutex_init(&job->lock, NULL);
  mpz_init(job->result);
  job->state = JOB_POWERS;
  job->owners = 1; /* the JS object, once it exists; the thread takes the second share */
  job->e = (unsigned long)e;
  for (int i = 0; i < OPERANDS; i++) {
    if (!copy_operand(env, argv[i], names[i], job, i)) {
      release(job);
      return NULL;
    }
  }

  napi_value object;
  if (napi_create_object(env, &object) != napi_ok || napi_type_tag_object(env, object, &JOB_TAG) != napi_ok ||
      napi_wrap(env, object, job, finalize_job, NULL, NULL) != napi_ok) {
    release(job);
    throw_error(env, "start: could not create the job object");
    return NULL;
  }
  /* From here the job is freed by finalize_job (and by the thread, if it starts). */
  job->owners = 2;
  if (spawn(run, job) != 0) {
    job->owners = 1;
    throw_error(env, "start: could not start a thread for the gcd");
    return NULL;
  }
  return object;
}

/* n >= 0 as a Buffer of big-endian bytes, empty for 0; NULL with an exception pending on failure. */
static napi_value buffer_of(napi_env env, const mpz_t n) {
  size_t length = mpz_sgn(n) == 0 ? 0 : (mpz_sizeinbase(n, 2) + 7) / 8;
  void *data = NULL;
  napi_value buffer;
  if (napi_create_buffer(env, length, &data, &buffer) != napi_ok) {
    throw_error(env, "poll: could not allocate the result");
    return NULL;
  }
  size_t written = 0;
  if (length > 0) mpz_export(data, &written, 1, 1, 1, 0, n);
  return buffer;
}

/* poll(job) -> 'power' | 'gcd' | Buffer */
static napi_value poll_job(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value object = NULL;
  napi_valuetype kind = napi_undefined;
  bool tagged = false;
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, &object, NULL, NULL) != napi_ok || argc < 1 ||
      napi_typeof(env, object, &kind) != napi_ok || kind != napi_object ||
      napi_check_object_type_tag(env, object, &JOB_TAG, &tagged) != napi_ok || !tagged ||
      napi_unwrap(env, object, &data) != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "poll takes a job returned by start()");
    return NULL;
  }
  job_t *job = data;
  pthread_mutex_lock(&job->lock);
  job_state_t state = job->state;
  pthread_mutex_unlock(&job->lock);
  if (state == JOB_DONE) return buffer_of(env, job->result);
  napi_value phase;
  if (napi_create_string_utf8(env, state == JOB_POWERS ? "power" : "gcd", NAPI_AUTO_LENGTH, &phase) != napi_ok) {
    throw_error(env, "poll: could not create its result");
    return NULL;
  }
  return phase;
}

static pthread_once_t pin_once = PTHREAD_ONCE_INIT;
static int pinned = 0;

/* Loads this library once more, never to be closed, so that it and libgmp stay mapped until exit. */
static void pin_library(void) {
  Dl_info self;
  pinned = dladdr((void *)pin_library, &self) != 0 && self.dli_fname != NULL && dlopen(self.dli_fname, RTLD_NOW | RTLD_NODELETE) != NULL;
}

NAPI_MODULE_INIT() {
  napi_value start_fn, poll_fn, version;
  pthread_once(&pin_once, pin_library);
  if (!pinned) {
    napi_throw_error(env, NULL, "@trove/gmp-gcd: could not keep itself loaded for its threads");
    return NULL;
  }
  if (napi_create_function(env, "start", NAPI_AUTO_LENGTH, start_job, NULL, &start_fn) != napi_ok ||
      napi_set_named_property(env, exports, "start", start_fn) != napi_ok ||
      napi_create_function(env, "poll", NAPI_AUTO_LENGTH, poll_job, NULL, &poll_fn) != napi_ok ||
      napi_set_named_property(env, exports, "poll", poll_fn) != napi_ok ||
      napi_create_string_utf8(env, gmp_version, NAPI_AUTO_LENGTH, &version) != napi_ok ||
      napi_set_named_property(env, exports, "gmpVersion", version) != napi_ok) {
    throw_error(env, "@trove/gmp-gcd: could not set up its exports");
    return NULL;
  }
  return exports;
}
