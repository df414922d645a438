using System.Buffers;
using CloudNative.CloudEvents.Http;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing;
using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Eventing;

/// <summary>
/// <see cref="IEventDispatcher"/> over HttpClient: POSTs the event in its inbound content mode and specversion
/// (<see cref="CloudEventWriter"/>: 0.3 stays 0.3), with the pass-through headers kept with it, <c>Kn-Namespace</c>
/// (and <c>Prefer: reply</c> toward subscribers), does not follow redirects, and reads the response body: the first 4 KiB
/// for <c>knativeerrordata</c>, and, for a 2xx other than 202, the whole body (up to <c>Eventing:MaxEventBytes</c>) to
/// decode a reply CloudEvent.
/// </summary>
/// <remarks>
/// A trigger hands over the event already written for HTTP (<see cref="DispatchRequest.Http"/>, once per event for all
/// triggers); every await here leaves the caller's grain scheduler (<c>ConfigureAwait(false)</c>: nothing below touches
/// grain state), so the HTTP exchange costs the calling grain one turn, when it gets the result.
/// </remarks>
public sealed class HttpEventDispatcher(IOptions<EventingOptions> options) : IEventDispatcher, IDisposable
{
    private const int MaxBodyBytes = 4096;

    // No cookies (a subscriber's Set-Cookie must not reach the next event's request) and no trace-context headers added
    // by the handler: the event carries its own pass-through headers. An HttpMessageInvoker, not an HttpClient: the
    // handler directly, without HttpClient's own timeout, linked cancellation source and state machine per request
    // (the attempt's timeout is ours, below).
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    });

    /// <inheritdoc />
    public async Task<DispatchResult> SendAsync(DispatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var http = request.Http ?? CloudEventWriter.Encode(CloudEventCodec.Decode(request.Event.Payload), request.Event.Mode);
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Target) { Content = http.ToContent() };
        if (http.PassThrough.Count > 0)
        {
            foreach (var (name, value) in http.PassThrough)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Headers.TryAddWithoutValidation("Kn-Namespace", request.Namespace);
        if (request.PreferReply)
        {
            message.Headers.TryAddWithoutValidation("Prefer", "reply");
        }

        if (request.Host is { } host)
        {
            message.Headers.Host = host;
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(request.Timeout);
        try
        {
            using var response = await _client.SendAsync(message, attempt.Token).ConfigureAwait(false); // headers read, body not yet
            var status = (int)response.StatusCode;
            var replyExpected = request.PreferReply && status is >= 200 and < 300 and not 202;
            var limit = replyExpected ? options.Value.MaxEventBytes : MaxBodyBytes;
            var (body, complete) = response.Content.Headers.ContentLength == 0
                ? ([], true)
                : await ReadAsync(response.Content, limit, replyExpected, attempt.Token).ConfigureAwait(false);
            var start = body.Length > MaxBodyBytes ? body[..MaxBodyBytes] : body;
            if (!replyExpected)
            {
                return new DispatchResult(status, start);
            }

            if (body.Length == 0 && !CloudEventParser.LooksLikeCloudEvent(HasSpecVersionHeader(response), RawContentType(response)))
            {
                return new DispatchResult(status, start); // 2xx without a body: delivered, no reply
            }

            var contentType = response.Content.Headers.ContentType?.ToString();

            if (!complete)
            {
                return new DispatchResult(status, start, ReplyError: $"the reply is larger than {limit} bytes (Eventing:MaxEventBytes)");
            }

            var headers = response.Headers.Concat(response.Content.Headers).Select(h => KeyValuePair.Create(h.Key, h.Value.FirstOrDefault())).ToList();
            var (reply, replyMode, error) = CloudEventParser.Parse(headers, contentType, body);
            return reply is null
                ? new DispatchResult(status, start, ReplyError: "the response is not a valid CloudEvent: " + error)
                : new DispatchResult(status, start, Reply: new BrokerEvent { Mode = replyMode, Payload = CloudEventCodec.Encode(reply) });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DispatchResult(0, [], $"timed out after {request.Timeout}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return new DispatchResult(0, [], e.Message);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    // The reply check on an empty 2xx (most answers) looks at the headers as received, without parsing or listing them.
    private static bool HasSpecVersionHeader(HttpResponseMessage response) =>
        response.Headers.NonValidated.Contains(HttpUtilities.SpecVersionHttpHeader)
        || response.Content.Headers.NonValidated.Contains(HttpUtilities.SpecVersionHttpHeader);

    private static string? RawContentType(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;

    private static async Task<(byte[] Body, bool Complete)> ReadAsync(HttpContent content, long limit, bool checkComplete, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (buffer.Length < limit)
            {
                var read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer.ToArray(), true);
                }

                buffer.Write(chunk, 0, read);
            }

            if (!checkComplete)
            {
                return (buffer.ToArray(), false);
            }

            // At the limit: complete only if nothing follows.
            var more = await stream.ReadAsync(chunk.AsMemory(0, 1), cancellationToken).ConfigureAwait(false);
            return (buffer.ToArray(), more == 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
