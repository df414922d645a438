using Knative.Orleans.Grains.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>
/// Knative's v2 revision GC (knative/serving pkg/reconciler/gc/v2/gc.go) on a scripted clock: each case lists the
/// revisions with their ages in hours (created, last routing change), the config and the names it deletes.
/// </summary>
public sealed class RevisionGcTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    // r(name, createdHoursAgo, routingStateModifiedHoursAgo or null, routed, preserved)
    private static GcRevision R(string name, double created, double? modified = null, bool routed = false, bool preserved = false) =>
        new(name, Now.AddHours(-created), modified is { } m ? Now.AddHours(-m) : null, routed, preserved);

    private static RevisionGcConfig Config(double? create = 48, double? active = 15, long min = 20, long? max = 1000) => new()
    {
        RetainSinceCreateTime = create is { } c ? TimeSpan.FromHours(c) : null,
        RetainSinceLastActiveTime = active is { } a ? TimeSpan.FromHours(a) : null,
        MinNonActiveRevisions = min,
        MaxNonActiveRevisions = max,
    };

    public static TheoryData<string, GcRevision[], string?, RevisionGcConfig, string[]> Cases => new()
    {
        {
            "defaults: 21 old non-active revisions, only the oldest one beyond min 20 goes",
            [.. Enumerable.Range(1, 21).Select(i => R($"r{i:D2}", 100, 100 - i)), R("r22", 1, routed: true)],
            "r22", Config(), ["r01"]
        },
        {
            "defaults: 20 non-active revisions are never collected, however old",
            [.. Enumerable.Range(1, 20).Select(i => R($"r{i:D2}", 1000, 1000)), R("r21", 1, routed: true)],
            "r21", Config(), []
        },
        {
            "total count at or below min: nothing",
            [R("a", 100, 100), R("b", 100, 100)], null, Config(min: 2, max: 2), []
        },
        {
            "created too recently (retain-since-create-time) is not stale",
            [R("a", 10, 20), R("b", 100, 20), R("c", 1, routed: true)], "c", Config(create: 48, active: 15, min: 0), ["b"]
        },
        {
            "active too recently (retain-since-last-active-time) is not stale",
            [R("a", 100, 10), R("b", 100, 20), R("c", 1, routed: true)], "c", Config(create: 48, active: 15, min: 0), ["b"]
        },
        {
            "last active falls back to the creation time",
            [R("a", 20), R("b", 10), R("c", 1, routed: true)], "c", Config(create: null, active: 15, min: 0), ["a"]
        },
        {
            "exactly at the retention is stale (Knative keeps only what is younger)",
            [R("a", 48, 15), R("c", 1, routed: true)], "c", Config(min: 0), ["a"]
        },
        {
            "stale ones go oldest last-active first while more than min remain",
            [R("a", 100, 30), R("b", 100, 50), R("c", 100, 40), R("d", 1, routed: true)], "d", Config(min: 1), ["b", "c"]
        },
        {
            "routed (targets, tags, latest created) and the latest ready are never collected",
            [R("lrr", 100, 100), R("tagged", 100, 100, routed: true), R("old", 100, 100), R("lcr", 100, routed: true)],
            "lrr", Config(min: 0, max: 0), ["old"]
        },
        {
            "serving.knative.dev/no-gc keeps a revision and it does not count as non-active",
            [R("kept", 100, 100, preserved: true), R("a", 100, 90), R("b", 100, 80), R("c", 1, routed: true)],
            "c", Config(min: 1), ["a"]
        },
        {
            "max-non-active-revisions: the oldest beyond max go even when not stale",
            [R("a", 5, 4), R("b", 5, 3), R("c", 5, 2), R("d", 5, 1), R("e", 1, routed: true)], "e", Config(min: 0, max: 2), ["a", "b"]
        },
        {
            "max counts only what the stale pass kept",
            [R("a", 100, 100), R("b", 5, 3), R("c", 5, 2), R("d", 5, 1), R("e", 1, routed: true)], "e", Config(min: 0, max: 2), ["a", "b"]
        },
        {
            "max disabled: only stale ones go",
            [R("a", 5, 4), R("b", 100, 90), R("e", 1, routed: true)], "e", Config(min: 0, max: null), ["b"]
        },
        {
            "both time rules disabled: only the max rule",
            [R("a", 1000, 1000), R("b", 1000, 999), R("c", 1000, 998), R("e", 1, routed: true)], "e", Config(create: null, active: null, min: 0, max: 1), ["a", "b"]
        },
        {
            "everything disabled: nothing, whatever the count",
            [R("a", 1000, 1000), R("b", 1000, 999), R("e", 1, routed: true)], "e", Config(create: null, active: null, min: 0, max: null), []
        },
        {
            "a pending revision (latest created, not ready) and its older failed sibling",
            [R("ready", 100, 100), R("failed", 100, 90), R("pending", 0.1, routed: true)], "ready", Config(min: 0), ["failed"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Collects_like_knative(string because, GcRevision[] revisions, string? latestReady, RevisionGcConfig config, string[] expected)
    {
        var deleted = RevisionGc.Collect(revisions, latestReady, config, Now);
        Assert.True(expected.SequenceEqual(deleted), $"{because}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", deleted)}]");
    }

    [Fact]
    public void A_revision_becomes_stale_as_the_clock_moves()
    {
        var config = Config(create: 2, active: 1, min: 0, max: null);
        var revisions = new[] { R("old", 0, 0), R("new", 0, routed: true) };
        var steps = new (double Hours, string[] Deleted)[] { (0, []), (0.99, []), (1.5, []), (2, ["old"]), (30, ["old"]) };
        foreach (var (hours, deleted) in steps)
        {
            Assert.Equal(deleted, RevisionGc.Collect(revisions, "new", config, Now.AddHours(hours)));
        }
    }

    [Fact]
    public void The_check_period_follows_the_shortest_enabled_retention()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), RevisionGcConfig.Default.CheckPeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), Config(create: null, active: 1.0 / 3600).CheckPeriod);
        Assert.Equal(TimeSpan.FromSeconds(5), (Config(create: null) with { RetainSinceLastActiveTime = TimeSpan.FromSeconds(10) }).CheckPeriod);
        Assert.Null(Config(create: null, active: null).CheckPeriod);
    }
}
