using System.Buffers;
using System.Net.Sockets;
using System.Text;
using CloudNative.CloudEvents.Http;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing;
using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Eventing;

/// <summary>
/// <see cref="IEventDispatcher"/> over HTTP/1.1 (<see cref="PlainHttpClient"/> for plain <c>http</c> targets with plain
/// ASCII headers, an HttpMessageInvoker over SocketsHttpHandler for the rest, same rules): POSTs the event in its
/// inbound content mode and specversion (<see cref="CloudEventWriter"/>: 0.3 stays 0.3), with the pass-through headers
/// kept with it, <c>Kn-Namespace</c> (and <c>Prefer: reply</c> toward subscribers), does not follow redirects, and reads
/// the response body: the first 4 KiB for <c>knativeerrordata</c>, and, for a 2xx other than 202, the whole body (up to
/// <c>Eventing:MaxEventBytes</c>) to decode a reply CloudEvent.
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

    private readonly PlainHttpClient _plain = new();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Namespace, bool PreferReply), byte[]?> _requestLines = new();

    /// <inheritdoc />
    public async Task<DispatchResult> SendAsync(DispatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var http = request.Http ?? CloudEventWriter.Encode(CloudEventCodec.Decode(request.Event.Payload), request.Event.Mode);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(request.Timeout);
        try
        {
            if (!UsePlainHttp || http.HeaderLines is not { } eventLines || _plain.EndpointFor(request.Target, request.Host) is not { } endpoint
                || RequestLines(request) is not { } requestLines)
            {
                return await SendWithHttpClientAsync(request, http, attempt.Token).ConfigureAwait(false);
            }

            var response = await _plain.PostAsync(endpoint, eventLines, requestLines, http.Body, MaxBodyBytes,
                request.PreferReply ? (int)Math.Min(options.Value.MaxEventBytes, Array.MaxLength - 1) : null, attempt.Token).ConfigureAwait(false);
            return Interpret(response.StatusCode, response.Body, response.Complete, response.ReplyExpected, response.HasSpecVersion,
                response.ContentType, static r => r.Headers ?? [], response);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DispatchResult(0, [], $"timed out after {request.Timeout}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException)
        {
            return new DispatchResult(0, [], e.Message);
        }
    }

    /// <summary>Whether plain http targets go through <see cref="PlainHttpClient"/> (tests run both paths over the same cases).</summary>
    internal bool UsePlainHttp { get; init; } = true;

    /// <summary>Connections opened by the plain HTTP/1.1 path so far (tests: connections are reused).</summary>
    internal int PlainConnectionsOpened => _plain.Opened;

    // The plain path's per-request header lines, per namespace (a handful): Kn-Namespace, and Prefer toward subscribers;
    // null for a namespace that is not plain ASCII (HttpClient then validates it).
    private byte[]? RequestLines(DispatchRequest request) => _requestLines.GetOrAdd((request.Namespace, request.PreferReply), static key =>
        !OutgoingHttpEvent.IsPlainHeaderText(key.Namespace) ? null
        : Encoding.ASCII.GetBytes(key.PreferReply ? $"Kn-Namespace: {key.Namespace}\r\nPrefer: reply\r\n" : $"Kn-Namespace: {key.Namespace}\r\n"));

    private async Task<DispatchResult> SendWithHttpClientAsync(DispatchRequest request, OutgoingHttpEvent http, CancellationToken cancellationToken)
    {
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

        using var response = await _client.SendAsync(message, cancellationToken).ConfigureAwait(false); // headers read, body not yet
        var status = (int)response.StatusCode;
        var replyExpected = request.PreferReply && status is >= 200 and < 300 and not 202;
        var limit = replyExpected ? options.Value.MaxEventBytes : MaxBodyBytes;
        var (body, complete) = response.Content.Headers.ContentLength == 0
            ? ([], true)
            : await ReadAsync(response.Content, limit, replyExpected, cancellationToken).ConfigureAwait(false);
        return Interpret(status, body, complete, replyExpected, HasSpecVersionHeader(response), RawContentType(response),
            static r => r.Headers.Concat(r.Content.Headers).Select(h => KeyValuePair.Create(h.Key, h.Value.FirstOrDefault())).ToList(), response);
    }

    /// <summary>
    /// The result of a response: its status and the start of its body, and for a 2xx other than 202 to a request that
    /// takes replies, the reply it carries (a CloudEvent in either mode), none (an empty body that does not look like
    /// an event), or why it is not one.
    /// </summary>
    private DispatchResult Interpret<TResponse>(int status, byte[] body, bool complete, bool replyExpected, bool hasSpecVersion, string? contentType,
        Func<TResponse, IEnumerable<KeyValuePair<string, string?>>> headers, TResponse response)
    {
        var start = body.Length > MaxBodyBytes ? body[..MaxBodyBytes] : body;
        if (!replyExpected || (body.Length == 0 && !CloudEventParser.LooksLikeCloudEvent(hasSpecVersion, contentType)))
        {
            return new DispatchResult(status, start); // no reply asked for, or a 2xx without a body: delivered, no reply
        }

        if (!complete)
        {
            return new DispatchResult(status, start, ReplyError: $"the reply is larger than {options.Value.MaxEventBytes} bytes (Eventing:MaxEventBytes)");
        }

        var (reply, replyMode, error) = CloudEventParser.Parse(headers(response), contentType, body);
        return reply is null
            ? new DispatchResult(status, start, ReplyError: "the response is not a valid CloudEvent: " + error)
            : new DispatchResult(status, start, Reply: new BrokerEvent { Mode = replyMode, Payload = CloudEventCodec.Encode(reply) });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        _plain.Dispose();
    }


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
