package realty.core.consumer;

/**
 * Processes one batch of an event source, as Powertools for AWS Lambda's
 * {@code software.amazon.lambda.powertools.batch.handler.BatchMessageHandler<E, R>} does: each
 * message is handled on its own, and the result says what the Lambda handler must return.
 *
 * @param <E> the event source's batch (here {@code RabbitMQEvent})
 * @param <R> what became of the batch
 */
public interface BatchMessageHandler<E, R> {

    R processBatch(E event);
}
