package io.anymq.spi;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What every driver's error mapping needs: the real cause of a failure and its messages in one line. */
public final class Failures {
    private Failures() {
    }

    /** The cause inside {@link ExecutionException} and {@link CompletionException} wrappers. */
    public static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The messages of the cause chain, each once, joined with ": " (at most about 500 characters); the class name if none has one. */
    public static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 500; t = t.getCause()) {
            if (t.getMessage() != null && (b.length() == 0 || !b.toString().contains(t.getMessage()))) {
                b.append(b.length() > 0 ? ": " : "").append(t.getMessage());
            }
        }
        return b.length() == 0 ? e.getClass().getSimpleName() : b.toString();
    }
}
