package io.anymq;

/** Where a new group starts reading. A group that already exists keeps its place. */
public enum StartPosition {
    /** Only messages sent after the group came into existence. The default. */
    LATEST,
    /** The earliest message the topic still retains. Needs {@link Capability#REPLAY_FROM_EARLIEST}. */
    EARLIEST
}
