#pragma once
// The generated imagenet_labels.cpp includes this name; the declaration is public (levit/imagenet_labels.h).
#include "levit/imagenet_labels.h"
