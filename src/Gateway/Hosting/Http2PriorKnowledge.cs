using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Knative.Orleans.Gateway.Hosting;

/// <summary>
/// HTTP/2 cleartext with prior knowledge (RFC 9113 §3.3) on a Kestrel endpoint that also serves HTTP/1.1.
/// </summary>
/// <remarks>
/// Kestrel picks HTTP/2 on an <see cref="HttpProtocols.Http1AndHttp2"/> endpoint only when TLS negotiated <c>h2</c> by
/// ALPN, so a cleartext endpoint always speaks HTTP/1.1 and an h2c client (gRPC) gets <c>HTTP_1_1_REQUIRED</c>
/// (dotnet/aspnetcore#56984). This connection middleware peeks at the first bytes without consuming them: when they are
/// the 24-byte HTTP/2 connection preface it presents the connection to Kestrel's protocol selection as if ALPN had
/// negotiated "h2" (an <see cref="ITlsConnectionFeature"/> without a certificate and an
/// <see cref="ITlsApplicationProtocolFeature"/>), which is all that selection reads; anything else stays HTTP/1.1
/// (WebSocket upgrades included). Kestrel then takes the transport scheme for "https" and would refuse the client's
/// <c>:scheme http</c>, so the host sets <see cref="KestrelServerOptions.AllowAlternateSchemes"/>: the request's
/// scheme is the client's <c>:scheme</c>. No TLS handshake feature is set, so Kestrel's HTTP/2 TLS checks are skipped.
/// </remarks>
public static class Http2PriorKnowledge
{
    /// <summary>How long a connection may take to send enough bytes to tell the protocols apart; then HTTP/1.1 decides.</summary>
    public static readonly TimeSpan SniffTimeout = TimeSpan.FromSeconds(10);

    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>Adds the preface sniffing to <paramref name="listenOptions"/> (cleartext Http1AndHttp2 endpoints only).</summary>
    public static ListenOptions UseHttp2PriorKnowledge(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Use(next => async connection =>
        {
            if (listenOptions.Protocols.HasFlag(HttpProtocols.Http1) && listenOptions.Protocols.HasFlag(HttpProtocols.Http2)
                && connection.Features.Get<ITlsConnectionFeature>() is null
                && await StartsWithPrefaceAsync(connection.Transport.Input, connection.ConnectionClosed))
            {
                connection.Features.Set<ITlsConnectionFeature>(NoCertificate.Instance);
                connection.Features.Set<ITlsApplicationProtocolFeature>(H2.Instance);
            }

            await next(connection);
        });
        return listenOptions;
    }

    /// <summary>Reads until the first bytes tell whether they are the HTTP/2 preface; consumes nothing.</summary>
    internal static async ValueTask<bool> StartsWithPrefaceAsync(PipeReader input, CancellationToken connectionClosed)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connectionClosed);
        timeout.CancelAfter(SniffTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            var buffer = result.Buffer;
            var verdict = Match(buffer);
            if (verdict is null && !result.IsCompleted && !result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start, buffer.End); // wait for more bytes
                continue;
            }

            input.AdvanceTo(buffer.Start); // nothing consumed or examined: the next read sees it all again
            return verdict == true;
        }
    }

    /// <summary>True: the preface; false: not it; null: a prefix of it so far.</summary>
    internal static bool? Match(ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        Span<byte> head = stackalloc byte[length];
        buffer.Slice(0, length).CopyTo(head);
        if (!Preface[..length].SequenceEqual(head))
        {
            return false;
        }

        return length == Preface.Length ? true : null;
    }

    private sealed class NoCertificate : ITlsConnectionFeature
    {
        public static readonly NoCertificate Instance = new();

        public X509Certificate2? ClientCertificate { get => null; set { } }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }

    private sealed class H2 : ITlsApplicationProtocolFeature
    {
        public static readonly H2 Instance = new();

        public ReadOnlyMemory<byte> ApplicationProtocol { get; } = "h2"u8.ToArray();
    }
}
