namespace Knative.Orleans.Grains.Tests;

/// <summary>Waits for a state that arrives through one-way grain calls; fails with the last observed value.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, string what, int timeoutMs = 10_000, Action? before = null)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            before?.Invoke();
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}; last value: {System.Text.Json.JsonSerializer.Serialize(value)}");
            }

            await Task.Delay(20);
        }
    }
}
