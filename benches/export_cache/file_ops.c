/*
 * What the file operations of an export cost on one filesystem, per operation: the
 * floor under a warm export (a link and a content check per file) and under a cold one
 * (a file created and written per file). Used for docs/performance.md ("the floor").
 *
 *   cc -O2 -o /tmp/file_ops benches/export_cache/file_ops.c
 *   /tmp/file_ops ENTRY SCRATCH
 *
 * ENTRY: a folder holding files named 0 … 99 (a rendered cache entry: a cold export
 * with `-c CACHE` leaves them in CACHE/rendered/<key>/); SCRATCH: an empty folder on
 * the filesystem to measure, where 100,000 files are made (remove it after).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { N = 50000, FILES = 100 };

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void report(const char *what, double start) {
  printf("%-40s %6.2f us\n", what, (now() - start) / N * 1e6);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s ENTRY SCRATCH\n", argv[0]);
    return 1;
  }
  int entry = open(argv[1], O_RDONLY | O_DIRECTORY);
  int scratch = open(argv[2], O_RDONLY | O_DIRECTORY);
  if (entry < 0 || scratch < 0) {
    perror("open");
    return 1;
  }
  static char buf[1 << 16];
  char name[32], to[32];
  struct stat st;
  double t = now();
  for (int i = 0; i < N; i++) syscall(SYS_getppid);
  report("a system call (getppid)", t);
  t = now();
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "%d", i % FILES);
    fstatat(entry, name, &st, 0);
  }
  report("fstatat", t);
  t = now();
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "%d", i % FILES);
    int f = openat(entry, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    fstat(f, &st);
    if (read(f, buf, sizeof buf) < 0) perror("read");
    close(f);
  }
  report("check: openat + fstat + read + close", t);
  t = now();
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "%d", i % FILES);
    snprintf(to, sizeof to, "l%d", i);
    if (linkat(entry, name, scratch, to, 0) < 0) perror("linkat");
  }
  report("land a cached file: linkat", t);
  t = now();
  for (int i = 0; i < N; i++) {
    snprintf(to, sizeof to, "c%d", i);
    int f = openat(scratch, to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (write(f, buf, 1000) < 0) perror("write");
    close(f);
  }
  report("write a file: openat + write 1 kB + close", t);
  return 0;
}
