using System.Runtime.CompilerServices;

namespace Knative.Orleans.Gateway.Tests.Infrastructure;

internal static class Eventually
{
    /// <summary>Waits for a condition that other threads make true (polls; fails after 10 s).</summary>
    public static async Task True(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Condition not met: {expression}");
            }

            await Task.Delay(5);
        }
    }
}
