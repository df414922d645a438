namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>Whether the decider follows the stable window or is panicking on the panic window.</summary>
[GenerateSerializer, Alias("kn.DeciderMode")]
public enum DeciderMode
{
    /// <summary>Desired = the stable-window count.</summary>
    Stable = 0,

    /// <summary>Desired = the highest count since panic began; never scales down.</summary>
    Panic = 1,
}
