using System.Globalization;
using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Gateway.Proxy;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Gateway.Ingress;

/// <summary>
/// Broker ingress, <c>POST /{namespace}/{broker}</c> on the gateway URL for hosts that are not service hosts. Checks in
/// this order: OPTIONS → 200 (webhook probe); other methods → 405; body over
/// <c>Eventing:MaxEventBytes</c> → 413; not a valid CloudEvents 1.0 event (batch, 0.3, missing attributes) → 400;
/// TTL exhausted → 400; unknown broker → 404; store unavailable → 503; stored → 202. Every answer has
/// <c>Allow: POST, OPTIONS</c>.
/// </summary>
public sealed partial class BrokerIngressHandler(IBrokerIngress ingress, TimeProvider time, IOptions<BrokerIngressOptions> options,
    ILogger<BrokerIngressHandler> logger)
{
    /// <summary>
    /// How long the broker call may go unanswered (real time) before the producer gets 503: a call already sent to a silo
    /// that died gets no answer until Orleans' ResponseTimeout (30 s), while the producer's retry reaches the broker's new
    /// activation as soon as the silo is declared dead (about 2 s). A stored event is answered in milliseconds.
    /// </summary>
    internal static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(5);

    /// <summary>True for <c>/{namespace}/{broker}</c> (a trailing <c>/</c> allowed): the paths this handler owns.</summary>
    public static bool IsIngressPath(PathString path) =>
        path.Value?.Trim('/').Split('/') is [{ Length: > 0 }, { Length: > 0 }];

    /// <summary>Answers one ingress request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        context.Response.Headers.Allow = "POST, OPTIONS";
        if (HttpMethods.IsOptions(request.Method))
        {
            context.Response.Headers["WebHook-Allowed-Origin"] = "*";
            context.Response.Headers["WebHook-Allowed-Rate"] = "*";
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            await PlainText.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "only POST is allowed on a broker");
            return;
        }

        var segments = request.Path.Value!.Trim('/').Split('/');
        if (segments.Length != 2 || segments[0].Length == 0 || segments[1].Length == 0)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status400BadRequest, "the path must be /{namespace}/{broker}");
            return;
        }

        var body = await ReadBodyAsync(context, options.Value.MaxEventBytes);
        if (body is null)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"the event is larger than {options.Value.MaxEventBytes} bytes (Eventing:MaxEventBytes)");
            return;
        }

        var (cloudEvent, mode, error) = CloudEventReader.Read(request.Headers, request.ContentType, body);
        if (cloudEvent is null)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status400BadRequest, error!);
            return;
        }

        if (!ApplyTtl(cloudEvent))
        {
            await PlainText.WriteAsync(context, StatusCodes.Status400BadRequest, "knativebrokerttl exhausted: the event is dropped");
            return;
        }

        BrokerTtl.StampArrival(cloudEvent, time.GetUtcNow());
        var brokerKey = segments[0] + "/" + segments[1];
        IngestOutcome outcome;
        try
        {
            outcome = await ingress.IngestAsync(brokerKey, new BrokerEvent { Mode = mode, Payload = CloudEventCodec.Encode(cloudEvent) })
                .WaitAsync(CallLimit, TimeProvider.System, context.RequestAborted);
        }
        catch (Exception e)
        {
            // The call itself failed (e.g. the broker's silo died mid-call): the store may have kept the event before the
            // answer was lost, so the client is told to retry without being told it was not kept.
            LogIngestFailed(logger, brokerKey, e);
            await PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                "the broker could not be reached; the event may not have been kept: retry (receivers dedupe by id)");
            return;
        }

        switch (outcome)
        {
            case IngestOutcome.Accepted:
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                break;
            case IngestOutcome.BrokerNotFound:
                await PlainText.WriteAsync(context, StatusCodes.Status404NotFound, $"broker \"{brokerKey}\" not found");
                break;
            default:
                await PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "the event store is unavailable; the event was not kept");
                break;
        }
    }

    /// <summary>
    /// <c>knativebrokerttl</c>: absent or not an integer → 255, else minus 1 (floor 0); false when the result is ≤ 0.
    /// </summary>
    internal static bool ApplyTtl(CloudEvent cloudEvent) => BrokerTtl.Apply(cloudEvent);

    /// <summary>
    /// The whole body, or null when it is larger than <paramref name="limit"/>. With a Content-Length (the usual case) it
    /// is read straight into one array of that size; a chunked body grows a buffer.
    /// </summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit)
    {
        var length = context.Request.ContentLength;
        if (length > limit)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit + 1;
        }

        var body = context.Request.Body;
        if (length is { } exact)
        {
            var bytes = exact == 0 ? [] : new byte[exact];
            await body.ReadExactlyAsync(bytes, context.RequestAborted); // Kestrel ends the body at Content-Length
            return bytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Broker ingress for {BrokerKey} failed; answered 503")]
    private static partial void LogIngestFailed(ILogger logger, string brokerKey, Exception exception);
}
