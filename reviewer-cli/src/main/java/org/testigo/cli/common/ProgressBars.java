package org.testigo.cli.common;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * The progress bar of long work (sync, rewrap, index build): on standard error when a console
 * is attached, silent otherwise (tests, pipes, scripts).
 */
public final class ProgressBars {
  private static volatile boolean quiet;

  private ProgressBars() {}

  /**
   * While {@code true}, bars print nothing even on a console: a full-screen interface (the
   * inbox) owns the terminal and shows its own progress.
   */
  public static void quiet(boolean q) {
    quiet = q;
  }

  /** A bar of {@code max} steps, or of unknown length when {@code max} is -1. */
  public static ProgressBar of(String task, long max) {
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(" env", 1);
    if (System.console() != null && !quiet) {
      b.setConsumer(new ConsoleProgressBarConsumer(System.err));
    } else {
      b.setConsumer(new DelegatingProgressBarConsumer(line -> { }));
    }
    return b.build();
  }
}
