/* SPDX-License-Identifier: MIT */
/*
 * replay.c - a plain main() for sockit's fuzz targets, so that their seed
 * corpus and saved crash inputs run as ordinary ctest regression tests in
 * every build (gcc, valgrind, ...), without libFuzzer.
 *
 * Usage: fuzz_replay_<target> PATH...   each PATH is a file or a directory
 * whose regular files (not recursively, dot-files skipped) are fed, one at a
 * time, to the target's LLVMFuzzerTestOneInput.  A broken invariant aborts
 * (non-zero exit, and the file name was printed just before); exit status 0
 * means every input passed; 1 when a path cannot be read or no input was
 * found at all.  POSIX only (dirent.h).
 */
#define _POSIX_C_SOURCE 200809L /* dirent.h, stat() with -std=c99 */

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0, n;
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    for (;;) {
        if (cap - len < 4096) {
            unsigned char *p = (unsigned char *)realloc(buf, cap * 2 + 4096);
            if (p == NULL) {
                fclose(f);
                free(buf);
                return -1;
            }
            buf = p;
            cap = cap * 2 + 4096;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    printf("replay: %s (%lu bytes)\n", path, (unsigned long)len);
    fflush(stdout);
    /* An exact-size copy, so that ASan sees reads past the end. */
    {
        unsigned char *exact = (unsigned char *)malloc(len ? len : 1);
        if (exact == NULL) {
            free(buf);
            return -1;
        }
        if (len > 0)
            memcpy(exact, buf, len);
        free(buf);
        (void)LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int i, ran = 0, bad = 0;
    for (i = 1; i < argc; i++) {
        struct stat st;
        DIR *d;
        struct dirent *e;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such path %s\n", argv[i]);
            bad = 1;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i]) != 0)
                bad = 1;
            else
                ran++;
            continue;
        }
        d = opendir(argv[i]);
        if (d == NULL) {
            bad = 1;
            continue;
        }
        while ((e = readdir(d)) != NULL) {
            char path[4096];
            if (e->d_name[0] == '.')
                continue;
            if ((size_t)snprintf(path, sizeof path, "%s/%s", argv[i],
                                 e->d_name) >= sizeof path) {
                bad = 1;
                continue;
            }
            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
                continue;
            if (run_file(path) != 0)
                bad = 1;
            else
                ran++;
        }
        closedir(d);
    }
    printf("replay: %d input(s) passed\n", ran);
    if (ran == 0)
        fprintf(stderr, "replay: no input found\n");
    return (bad || ran == 0) ? 1 : 0;
}
