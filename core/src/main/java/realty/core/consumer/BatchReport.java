package realty.core.consumer;

/** What became of the messages of one batch. */
public record BatchReport(int received, int processed, int duplicates, int retried, int deadLettered) {
}
