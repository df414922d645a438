using System.Collections.Concurrent;
using System.Threading.Channels;
using Orleans.Concurrency;

namespace Knative.Orleans.Grains.Tests;

/// <summary>
/// Signals when a grain has processed a one-way call. Orleans does not order a one-way call before the caller's next
/// call to the same grain (the tests saw <c>ReportMetricsAsync</c> land after the following <c>TickAsync</c>, and after
/// the next clock step too), so a test that needs the call's effect waits for it here instead of assuming the order.
/// </summary>
public sealed class OneWayProbe : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(string Grain, string Method), Channel<bool>> _done = new();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        if (context.InterfaceMethod?.IsDefined(typeof(OneWayAttribute), inherit: false) == true)
        {
            Done(context.TargetId.Key.ToString()!, context.InterfaceMethod.Name).Writer.TryWrite(true);
        }
    }

    /// <summary>Waits (up to 10 s) until <paramref name="grainKey"/> has processed its next <paramref name="method"/> call.</summary>
    public async Task ProcessedAsync(string grainKey, string method) =>
        await Done(grainKey, method).Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    private Channel<bool> Done(string grain, string method) => _done.GetOrAdd((grain, method), _ => Channel.CreateUnbounded<bool>());
}
