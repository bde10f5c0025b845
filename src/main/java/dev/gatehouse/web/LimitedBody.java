package dev.gatehouse.web;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a limit; past it the download is cancelled, not buffered. For
 * every fetch Gatehouse makes on someone else's say-so (client metadata documents, signing keys, upstream
 * identity providers).
 */
public final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    /**
     * Sends {@code request} and reads its answer whole, at most {@code limit} bytes, within {@code deadline} for the
     * whole exchange, body included: a server sending slowly, or without end, cannot hold the caller. Past either, an
     * {@link java.io.IOException} that says which; the exchange is cancelled.
     */
    public static HttpResponse<byte[]> exchange(java.net.http.HttpClient http, java.net.http.HttpRequest request, int limit,
            java.time.Duration deadline) throws java.io.IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> new LimitedBody(limit));
        try {
            return exchange.get(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            exchange.cancel(true);
            throw new java.io.IOException("no complete answer within " + deadline, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof java.io.IOException io ? io
                    : new java.io.IOException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    public LimitedBody(int limit) {
        this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + buffer.remaining() > limit) {
                subscription.cancel();
                result.completeExceptionally(new IllegalArgumentException("is larger than " + limit + " bytes"));
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toByteArray());
    }
}
