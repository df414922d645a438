using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Knative.Orleans.Gateway.Hosting;

/// <summary>
/// <c>Gateway:InlineScheduling</c> (default true): socket completions run on the socket engine's threads and Kestrel
/// runs request code on them, instead of every socket event hopping to the thread pool. On 2 cores shared with the
/// clients and the workloads, those hops (a wake-up and a context switch each) are a large part of a proxied
/// request's cost (bench/gateway). The price: code that blocks on a socket thread holds up every connection of that
/// thread until it returns, so request paths must not block (the gateway's, the admin API's and broker ingress are
/// asynchronous throughout); <c>false</c> restores the thread-pool hops.
/// </summary>
public static class InlineScheduling
{
    /// <summary>The runtime's switch for inline socket completions, read once when the first socket is used.</summary>
    public const string SocketCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline socket completions on for this process; call before any socket is created.</summary>
    public static void EnableSocketCompletions() => Environment.SetEnvironmentVariable(SocketCompletionsVariable, "1");

    /// <summary>Makes Kestrel run request processing on the socket threads.</summary>
    public static IWebHostBuilder UseInlineScheduling(this IWebHostBuilder builder) =>
        builder.UseSockets(o => o.UnsafePreferInlineScheduling = true);
}
