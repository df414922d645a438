using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Tests.Drivers;

/// <summary>Output of workloads: per-revision bounds, long lines, the revision cap.</summary>
public sealed class LocalProcessDriverOutputTests
{
    [Fact]
    public async Task Output_KeepsTheLastLinesPerRevision_WithinTheLineBound()
    {
        await using var h = await DriverHarness.StartAsync(o => o.MaxOutputLinesPerRevision = 10);

        await h.Driver.StartAsync(DriverHarness.Spec("i1", "for i in range(50): print('line', i)"), CancellationToken.None);
        await h.Sink.WaitAsync("i1", WorkloadPhase.Exited);

        var all = h.Driver.GetOutput("default/hello-00001", 100).Split('\n');
        Assert.Equal(10, all.Length);
        Assert.Equal("[i1] line 40", all[0]);
        Assert.Equal("[i1] line 49", all[^1]);
        Assert.Equal("[i1] line 47\n[i1] line 48\n[i1] line 49", h.Driver.GetOutput("default/hello-00001", 3));
        Assert.Equal("", h.Driver.GetOutput("default/unknown-00001", 3));
    }

    [Fact]
    public async Task Output_StaysWithinTheCharacterBound_AndCutsLongLines()
    {
        await using var h = await DriverHarness.StartAsync(o =>
        {
            o.MaxOutputCharsPerRevision = 1024;
            o.MaxLineLength = 100;
        });

        await h.Driver.StartAsync(
            DriverHarness.Spec("i1", "for i in range(50): print(f'{i:03d}' + 'x' * 300)\nprint('end', end='')"), CancellationToken.None);
        await h.Sink.WaitAsync("i1", WorkloadPhase.Exited);

        var output = h.Driver.GetOutput("default/hello-00001", -1);
        Assert.True(output.Length <= 1024, $"{output.Length} chars kept");
        var lines = output.Split('\n');
        Assert.Equal("[i1] end", lines[^1]);
        Assert.Equal("[i1] 049" + new string('x', 97), lines[^2]);
    }

    [Fact]
    public async Task Output_ForgetsTheLeastRecentlyUsedRevision_BeyondTheRevisionCap()
    {
        await using var h = await DriverHarness.StartAsync(o => o.MaxOutputRevisions = 2);

        foreach (var revision in (string[])["r-00001", "r-00002", "r-00003"])
        {
            await h.Driver.StartAsync(DriverHarness.Spec(revision, $"print('{revision}')", revision: revision), CancellationToken.None);
            await h.Sink.WaitAsync(revision, WorkloadPhase.Exited);
        }

        Assert.Equal("", h.Driver.GetOutput("default/r-00001", 10));
        Assert.Equal("[r-00002] r-00002", h.Driver.GetOutput("default/r-00002", 10));
        Assert.Equal("[r-00003] r-00003", h.Driver.GetOutput("default/r-00003", 10));
    }
}
