#ifndef TB_CTL_H
#define TB_CTL_H
#endif
