// Fixed-signature wrappers around libedit's variadic el_set / history calls, which Swift
// cannot call directly, plus the C callbacks libedit needs (prompt, completion key).
#ifndef PIPEQ_LIBEDIT_SHIM_H
#define PIPEQ_LIBEDIT_SHIM_H

#include <histedit.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static inline char *pq_prompt_storage(void) {
  static char text[512];
  return text;
}

static inline char *pq_prompt(EditLine *el) {
  (void)el;
  return pq_prompt_storage();
}

static inline void pq_set_prompt_text(const char *text) {
  char *storage = pq_prompt_storage();
  strncpy(storage, text, 511);
  storage[511] = 0;
}

/// Creates an editor on the standard streams: emacs keys unless ~/.editrc says
/// otherwise, signals handled so the terminal is restored, Tab bound to `complete`.
static inline EditLine *pq_el_init(const char *program, History *hist,
                                   unsigned char (*complete)(EditLine *, int)) {
  EditLine *el = el_init(program, stdin, stdout, stderr);
  if (el == NULL) return NULL;
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_SIGNAL, 1);
  el_set(el, EL_PROMPT, pq_prompt);
  el_set(el, EL_HIST, history, hist);
  el_set(el, EL_ADDFN, "pipeq-complete", "Complete a keyword, field or value", complete);
  el_set(el, EL_BIND, "^I", "pipeq-complete", NULL);
  el_source(el, NULL);
  return el;
}

static inline History *pq_history_init(int size) {
  HistEvent event;
  History *hist = history_init();
  if (hist == NULL) return NULL;
  history(hist, &event, H_SETSIZE, size);
  history(hist, &event, H_SETUNIQUE, 1);
  return hist;
}

static inline int pq_history_load(History *hist, const char *path) {
  HistEvent event;
  return history(hist, &event, H_LOAD, path);
}

static inline int pq_history_save(History *hist, const char *path) {
  HistEvent event;
  return history(hist, &event, H_SAVE, path);
}

static inline int pq_history_enter(History *hist, const char *line) {
  HistEvent event;
  return history(hist, &event, H_ENTER, line);
}

/// The text before the cursor, and the whole line, for completion.
static inline int pq_el_cursor(EditLine *el) {
  const LineInfo *info = el_line(el);
  return (int)(info->cursor - info->buffer);
}

static inline int pq_el_length(EditLine *el) {
  const LineInfo *info = el_line(el);
  return (int)(info->lastchar - info->buffer);
}

static inline const char *pq_el_buffer(EditLine *el) { return el_line(el)->buffer; }

/// SIGINT without SA_RESTART: el_gets returns with EINTR, so Ctrl-C cancels the line.
static inline volatile sig_atomic_t *pq_interrupted_flag(void) {
  static volatile sig_atomic_t flag = 0;
  return &flag;
}

static inline void pq_on_interrupt(int signal) {
  (void)signal;
  *pq_interrupted_flag() = 1;
}

static inline void pq_install_interrupt_handler(void) {
  struct sigaction action;
  memset(&action, 0, sizeof(action));
  action.sa_handler = pq_on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, NULL);
}

static inline int pq_take_interrupt(void) {
  int was = *pq_interrupted_flag();
  *pq_interrupted_flag() = 0;
  return was;
}

static inline int pq_peek_interrupt(void) { return *pq_interrupted_flag(); }

static inline void pq_set_utf8_locale(void) {
  const char *chosen = setlocale(LC_CTYPE, "");
  if (chosen == NULL || strcmp(chosen, "C") == 0 || strcmp(chosen, "POSIX") == 0) {
    setlocale(LC_CTYPE, "C.UTF-8");
  }
}

/// Writes to libedit's output stream (stdout), flushed, from Swift without touching the
/// C global directly.
static inline void pq_write_out(const char *text) {
  fputs(text, stdout);
  fflush(stdout);
}

#endif
