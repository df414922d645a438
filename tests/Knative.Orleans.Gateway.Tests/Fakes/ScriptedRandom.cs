using Yarp.ReverseProxy.Utilities;

namespace Knative.Orleans.Gateway.Tests.Fakes;

/// <summary>A <see cref="Random"/> that replays a script of values for <see cref="Next(int)"/>.</summary>
internal sealed class ScriptedRandom(IEnumerable<int> script) : Random, IRandomFactory
{
    private readonly Queue<int> _script = new(script);

    public List<int> MaxValues { get; } = [];

    public Random CreateRandomInstance() => this;

    public override int Next(int maxValue)
    {
        MaxValues.Add(maxValue);
        var value = _script.Dequeue();
        Assert.InRange(value, 0, maxValue - 1);
        return value;
    }
}
