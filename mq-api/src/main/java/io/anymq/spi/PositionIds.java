package io.anymq.spi;

/**
 * The id of a message named by its position (see {@link ProducerDriver#namesMessagesByPosition()}):
 * {@code <topic>-<position>}, the position in the broker's own terms. The topic keeps two topics'
 * equal positions apart; the receipt and every delivery of the message carry the same id.
 */
public final class PositionIds {
    private PositionIds() {
    }

    /** The id of the message at this position of this topic. */
    public static String of(String topic, String position) {
        return topic + "-" + position;
    }
}
