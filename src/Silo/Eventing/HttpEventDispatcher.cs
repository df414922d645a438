using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Eventing;

/// <summary>
/// <see cref="IEventDispatcher"/> over HttpClient: POSTs the event in its inbound content mode with <c>Kn-Namespace</c>
/// (and <c>Prefer: reply</c> toward subscribers), does not follow redirects, and reads at most 4 KiB of the response body.
/// </summary>
public sealed class HttpEventDispatcher : IEventDispatcher, IDisposable
{
    private const int MaxBodyBytes = 4096;

    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <inheritdoc />
    public async Task<DispatchResult> SendAsync(DispatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cloudEvent = CloudEventCodec.Decode(request.Event.Payload);
        var mode = request.Event.Mode == EventContentMode.Structured ? ContentMode.Structured : ContentMode.Binary;
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Target)
        {
            Content = cloudEvent.ToHttpContent(mode, CloudEventCodec.Formatter),
        };
        message.Headers.TryAddWithoutValidation("Kn-Namespace", request.Namespace);
        if (request.PreferReply)
        {
            message.Headers.TryAddWithoutValidation("Prefer", "reply");
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(request.Timeout);
        try
        {
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var body = new byte[MaxBodyBytes];
            var length = 0;
            await using var stream = await response.Content.ReadAsStreamAsync(attempt.Token);
            int read;
            while (length < body.Length && (read = await stream.ReadAsync(body.AsMemory(length), attempt.Token)) > 0)
            {
                length += read;
            }

            return new DispatchResult((int)response.StatusCode, body[..length]);
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
}
