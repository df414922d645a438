using System.Net;
using System.Net.Sockets;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>
/// One readiness probe attempt against an instance's serving port: HTTP GET when the probe has <c>httpGet</c> (2xx/3xx
/// passes), otherwise a TCP connect. The probe's port is always the serving port (Knative validation allows no other).
/// </summary>
internal sealed class ReadinessProber : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
        // Kubelet does not verify certificates of HTTPS probes either.
        SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<bool> ProbeAsync(Probe? probe, int port, bool h2c, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            return probe?.HttpGet is { } httpGet
                ? await HttpGetAsync(httpGet, port, h2c, attempt.Token).ConfigureAwait(false)
                : await TcpConnectAsync(port, attempt.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or SocketException or IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task<bool> HttpGetAsync(HttpGetAction httpGet, int port, bool h2c, CancellationToken cancellationToken)
    {
        var scheme = string.Equals(httpGet.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var path = string.IsNullOrEmpty(httpGet.Path) ? "/" : httpGet.Path.StartsWith('/') ? httpGet.Path : "/" + httpGet.Path;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{scheme}://127.0.0.1:{port}{path}"));
        if (h2c)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        request.Headers.TryAddWithoutValidation("User-Agent", "kube-probe/knative-orleans");
        foreach (var header in httpGet.HttpHeaders ?? [])
        {
            if (!string.IsNullOrEmpty(header.Name))
            {
                if (header.Name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.Remove("User-Agent");
                }

                request.Headers.TryAddWithoutValidation(header.Name, header.Value ?? "");
            }
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode is >= 200 and < 400;
    }

    private static async Task<bool> TcpConnectAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public void Dispose() => _http.Dispose();
}
