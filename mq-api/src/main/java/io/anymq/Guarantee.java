package io.anymq;

/** The delivery guarantee a backend gives. */
public enum Guarantee {
    /** A message may be lost (for example when no consumer is connected) but is never redelivered. */
    AT_MOST_ONCE,
    /** Once a send completed, the message reaches every group until acked; it may arrive more than once. */
    AT_LEAST_ONCE
}
