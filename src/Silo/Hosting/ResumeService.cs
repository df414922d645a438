using System.Threading.Channels;
using Knative.Orleans.Grains.Serving;
using Knative.Orleans.Silo.Eventing;
using Orleans.Runtime;

namespace Knative.Orleans.Silo.Hosting;

/// <summary>
/// Brings back what lives only in grain activations (revision workloads, trigger delivery loops): once when the silo
/// has started (revisions not ready yet, triggers), and whenever the cluster declares a silo dead (its activations are
/// gone, state is in storage: also every revision scaled above zero, so that it starts its instances again).
/// Every silo does this; the calls are idempotent. A failed pass is retried until it succeeds (the grains of a dead
/// silo answer only once it is declared dead, and storage may be briefly unavailable).
/// </summary>
public sealed partial class ResumeService(
    PendingRevisionsResumer revisions,
    TriggersResumer triggers,
    IClusterMembershipService membership,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ResumeService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    // At most one pass waits behind the running one: requests during a pass cause exactly one more pass after it.
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // 1 when the next pass must also resume the revisions scaled above zero (a silo died).
    private int _scaled;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(stoppingToken);
            var pass = RunPassesAsync(stoppingToken);
            Request(scaled: false); // the start pass
            HashSet<SiloAddress>? dead = null;
            // WaitAsync: stopping must not wait for the next membership change, whatever the enumerator does with the token.
            // Not disposed: disposing while MoveNextAsync is pending could block the shutdown the same way, and the
            // enumerator lives as long as the silo anyway.
            var updates = membership.MembershipUpdates.GetAsyncEnumerator(stoppingToken);
            while (await updates.MoveNextAsync().AsTask().WaitAsync(stoppingToken))
            {
                var snapshot = updates.Current;
                var nowDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
                if (dead is not null && nowDead.Except(dead).Any())
                {
                    LogSiloDied(logger, string.Join(", ", nowDead.Except(dead)));
                    Request(scaled: true);
                }

                dead = nowDead;
            }

            await pass;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Request(bool scaled)
    {
        if (scaled)
        {
            Interlocked.Exchange(ref _scaled, 1);
        }

        _requests.Writer.TryWrite(true);
    }

    private async Task RunPassesAsync(CancellationToken stoppingToken)
    {
        while (await _requests.Reader.WaitToReadAsync(stoppingToken))
        {
            _requests.Reader.TryRead(out _);
            var scaled = Interlocked.Exchange(ref _scaled, 0) == 1;
            try
            {
                await revisions.ResumeAsync(scaled, stoppingToken);
                await triggers.ResumeAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e);
                await Task.Delay(RetryDelay, time, stoppingToken);
                Request(scaled);
            }
        }
    }

    [LoggerMessage(EventId = 3310, Level = LogLevel.Information, Message = "Silo(s) {Silos} declared dead: resuming their revisions and triggers")]
    private static partial void LogSiloDied(ILogger logger, string silos);

    [LoggerMessage(EventId = 3311, Level = LogLevel.Warning, Message = "Resuming revisions and triggers failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
